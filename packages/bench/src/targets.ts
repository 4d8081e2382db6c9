/** The targets of issue 5, checked against one run's results. */
import type { BenchResults, Row, Target } from './results.js';

/** RSS may wobble by allocator noise; more than this over 200 detections counts as growth. */
export const GROWTH_TOLERANCE_MB = 10;

const find = (rows: Row[], backend: string, image: string): Row | undefined =>
  rows.find((r) => r.backend === backend && r.image.includes(image) && !r.error);

export function checkTargets(res: Omit<BenchResults, 'targets'>): Target[] {
  const t: Target[] = [];
  const eff = (image: string, goal: number): void => {
    const r = find(res.rows, 'onnx', image);
    t.push({
      name: `onnx efficiency at ${image}`,
      goal: `>= ${goal.toFixed(2)} of the MatMul peak`,
      measured: r?.efficiency !== undefined ? r.efficiency.toFixed(3) : 'not measured',
      met: r?.efficiency !== undefined ? r.efficiency >= goal : null,
    });
  };
  eff('1920x1080', 0.3);
  eff('640x480', 0.25);
  const speedup = (image: string, goal: number): void => {
    const ours = find(res.rows, 'tfjs-wasm', image);
    const peer = find(res.rows, 'peer-tfjs-wasm', image);
    const x = ours && peer ? peer.totalMs / ours.totalMs : undefined;
    t.push({
      name: `tfjs-wasm vs the peer on tfjs-wasm at ${image}`,
      goal: `>= ${goal}x faster`,
      measured: x !== undefined ? `${x.toFixed(1)}x` : 'not measured',
      met: x !== undefined ? x >= goal : null,
    });
  };
  speedup('640x480', 3);
  speedup('1920x1080', 20);
  const m = res.memory;
  t.push({
    name: 'peak RSS, onnx, 1920x1080',
    goal: '<= 300 MB',
    measured: m ? `${m.maxRssMb.toFixed(0)} MB over ${m.count} detections` : 'not measured',
    met: m ? m.maxRssMb <= 300 : null,
  });
  t.push({
    name: `RSS growth, onnx, 1920x1080, detections ${m?.settle ?? 10} to ${m?.count ?? 200}`,
    goal: `none (< ${GROWTH_TOLERANCE_MB} MB)`,
    measured: m
      ? `${(m.endRssMb - m.startRssMb).toFixed(1)} MB (${m.startRssMb.toFixed(0)} -> ${m.endRssMb.toFixed(0)} MB)`
      : 'not measured',
    met: m ? m.endRssMb - m.startRssMb < GROWTH_TOLERANCE_MB && m.firstFaces === m.lastFaces : null,
  });
  const c = res.cli;
  t.push({
    name: `mtcnn detect --jobs 2 vs --jobs 1 (${c ? `${c.images} FDDB dev images, ${c.backend}` : 'FDDB dev images'})`,
    goal: '>= 1.7x images/s',
    measured: c
      ? `${c.ratio.toFixed(2)}x (${c.jobs1.imagesPerSecond.toFixed(1)} ` +
        `-> ${c.jobs2.imagesPerSecond.toFixed(1)} images/s)`
      : 'not measured',
    met: c ? c.ratio >= 1.7 : null,
  });
  return t;
}
