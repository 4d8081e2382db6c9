// A child process for threads.test.ts: tfjs on 2 threads, one detection, no dispose(); the idle
// threads must not keep the process alive.
import { createDetector } from '@mtcnn/core';
import { createNodeTfjsBackend } from '../dist/node.js';

const detector = createDetector(await createNodeTfjsBackend({ backend: process.argv[2], threads: 2 }));
const image = { data: new Uint8Array(64 * 64 * 3).fill(128), width: 64, height: 64 };
console.log(`faces: ${(await detector.detect(image)).length}`);
