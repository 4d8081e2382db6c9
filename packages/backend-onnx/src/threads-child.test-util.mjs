// A child process for threads.test.ts: each mode must end with exit code 0 and no native abort.
//   node threads-child.test-util.mjs dispose-mid-run <raw RGB file> <width> <height>
//   node threads-child.test-util.mjs forget-dispose <raw RGB file> <width> <height>
import { readFileSync } from 'node:fs';
import { createDetector } from '@mtcnn/core';
import { createNodeOnnxBackend } from '../dist/node.js';

const [mode, file, width, height] = process.argv.slice(2);
const image = { data: new Uint8Array(readFileSync(file)), width: Number(width), height: Number(height) };
const outcome = (p) =>
  p.then(
    () => 'resolved',
    (e) => e.code ?? String(e),
  );

if (mode === 'dispose-mid-run') {
  // Issue 16 item 3: stopping the worker inside a session run aborted the process (SIGABRT).
  for (const delay of [0, 100, 300]) {
    const detector = createDetector(await createNodeOnnxBackend({ workers: 1 }));
    const detection = outcome(detector.detect(image));
    await new Promise((resolve) => setTimeout(resolve, delay));
    detector.dispose();
    console.log(`detect, dispose after ${delay} ms: ${await detection}`);
  }
  // A run certainly in progress: the whole image as one P-Net level, sent, then dispose at once.
  const backend = await createNodeOnnxBackend({ workers: 1 });
  const level = Float32Array.from(image.data, (v) => (v - 127.5) * 0.0078125);
  const run = outcome(backend.runPNet(level, image.height, image.width));
  backend.dispose();
  console.log(`runPNet, dispose at once: ${await run}`);
} else if (mode === 'forget-dispose') {
  // Idle worker threads must not keep the process alive.
  const detector = createDetector(await createNodeOnnxBackend({ workers: 1 }));
  console.log(`faces: ${(await detector.detect(image)).length}`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
