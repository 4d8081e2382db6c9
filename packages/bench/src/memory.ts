/**
 * Memory of a long-running detector: `count` detections of one image on one backend, the RSS (and,
 * for tfjs, the live tensor count) sampled as it goes. Used by the bench (onnx, 200 x 1920x1080)
 * and by the soak (1,000 detections per backend).
 */
import { createDetector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createBackend } from '@mtcnn/backends/node';
import { OPTIONS, type OurBackend } from './protocol.js';

export interface MemoryTask {
  type: 'memory';
  backend: OurBackend;
  file: string;
  count: number;
  /** Detections before the "start" sample: the first ones grow pools and caches that then stay. */
  settle: number;
}

export interface MemorySample {
  detections: number;
  rssMb: number;
  heapMb: number;
  /** Live tfjs tensors (tfjs backends only). */
  tensors?: number;
}

export interface MemoryResult {
  backend: OurBackend;
  file: string;
  width: number;
  height: number;
  count: number;
  settle: number;
  samples: MemorySample[];
  /** RSS after `settle` detections and after all of them, MB. */
  startRssMb: number;
  endRssMb: number;
  startTensors?: number;
  endTensors?: number;
  seconds: number;
  /** Faces of the first and of the last detection (they must be the same). */
  firstFaces: number;
  lastFaces: number;
}

export async function measureMemory(task: MemoryTask): Promise<MemoryResult> {
  const image = await loadImage(task.file);
  const backend = await createBackend(task.backend);
  // Tensors are countable only for tfjs in this thread (the threaded backend keeps them in workers).
  const inProcess = (backend as { threads?: number }).threads === undefined;
  const tf = task.backend.startsWith('tfjs') && inProcess ? await import('@tensorflow/tfjs-core') : undefined;
  const detector = createDetector(backend, OPTIONS);
  const samples: MemorySample[] = [];
  const sample = (detections: number): MemorySample => {
    const m = process.memoryUsage();
    const s: MemorySample = { detections, rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 };
    if (tf) s.tensors = tf.memory().numTensors;
    samples.push(s);
    return s;
  };
  const every = Math.max(1, Math.round(task.count / 20));
  const t0 = performance.now();
  let firstFaces = -1;
  let lastFaces = -1;
  try {
    sample(0);
    for (let i = 1; i <= task.count; i++) {
      lastFaces = (await detector.detect(image)).length;
      if (i === 1) firstFaces = lastFaces;
      if (i === task.settle || i % every === 0 || i === task.count) sample(i);
    }
  } finally {
    detector.dispose();
  }
  const start = samples.find((s) => s.detections === task.settle) ?? samples[0];
  const end = samples[samples.length - 1];
  return {
    backend: task.backend,
    file: task.file,
    width: image.width,
    height: image.height,
    count: task.count,
    settle: task.settle,
    samples,
    startRssMb: start.rssMb,
    endRssMb: end.rssMb,
    startTensors: start.tensors,
    endTensors: end.tensors,
    seconds: (performance.now() - t0) / 1000,
    firstFaces,
    lastFaces,
  };
}
