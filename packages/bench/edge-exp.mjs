import { readFileSync } from 'node:fs';
import { createDetector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createBackend } from '@mtcnn/backends/node';
const [name, ...imgs] = process.argv.slice(2);
const ref = JSON.parse(readFileSync('/work/shared/data/fddb/reference/facenet-pytorch-dev.json', 'utf8'));
const det = createDetector(await createBackend(name), { preset: 'reference' });
const iou = (a, b) => {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])),
    iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const i = ix * iy;
  return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
};
for (const p of imgs) {
  const r = ref.images[p.replace(/\//g, '__')];
  const t0 = performance.now();
  const faces = await det.detect(await loadImage(`/work/shared/data/fddb/images/${p}`));
  const ms = performance.now() - t0;
  const ours = faces.map((f) => [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]]);
  const refBoxes = r.faces.map((f) => f.box);
  const worst = refBoxes.map((b) => Math.max(0, ...ours.map((o) => iou(o, b))));
  console.log(
    name,
    p,
    'ours',
    ours.length,
    'ref',
    refBoxes.length,
    'min best IoU',
    Math.min(...worst).toFixed(6),
    ms.toFixed(0),
    'ms',
  );
}
det.dispose();
process.exit(0);
