// serveWorker runs inside the pool's threads: tested through a pool on the built dist/worker.js.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDetector } from '@mtcnn/backends/node';
import { detectImage } from './detect-image.js';
import { openPool } from './pool.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

describe('serveWorker', () => {
  it(
    'keeps detectors per option set on one backend: more ' + "sets than it caches, each gives its options' faces",
    async () => {
      // with the pool's own, 10 sets > the 8 cached: 20 and 24 are evicted
      const sizes = [20, 24, 28, 32, 36, 40, 44, 48, 52];
      const pool = await openPool({ workers: 1, backend: 'onnx', detector: { minFaceSize: 30 } });
      try {
        const order = [...sizes, 20, 24]; // made again after their eviction
        const results = await Promise.all(
          order.map((minFaceSize) => pool.submit({ source: { file: SAMPLE }, options: { minFaceSize }, stats: true })),
        );
        for (const [k, minFaceSize] of order.entries()) {
          const want = await expected(minFaceSize);
          expect(results[k]).toMatchObject({ entry: 'entry' in want ? want.entry : {} });
        }
        // The pool's own options apply when a task has none.
        const plain = await pool.submit({ source: { file: SAMPLE }, stats: true });
        const want30 = await expected(30);
        expect(plain).toMatchObject({ entry: 'entry' in want30 ? want30.entry : {} });
      } finally {
        await pool.close();
      }

      /** The entry of a detector made with these options alone, in this process. */
      async function expected(minFaceSize: number) {
        const d = await openDetector('onnx', { minFaceSize });
        try {
          return await detectImage(d, { source: { file: SAMPLE }, stats: true });
        } finally {
          d.dispose();
        }
      }
    },
  );
});
