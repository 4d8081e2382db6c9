// Prints the stage trace of a dev image as JSON: node test/dev-trace.mjs <image path> '<detector options JSON>'.
// For jsdom tests (real-trace.test-util.ts): ONNX Runtime refuses jsdom's typed arrays, so the
// detection runs here, in plain Node, with the runtime the app uses in browsers (WebAssembly).
import { createDetector } from '@mtcnn/core';
import { loadImage } from '@mtcnn/core/node';
import { createNodeOnnxBackend } from '@mtcnn/backend-onnx/node';

const [file, options = '{}'] = process.argv.slice(2);
const backend = await createNodeOnnxBackend({ runtime: 'wasm' });
const detector = createDetector(backend, { ...JSON.parse(options), decoder: loadImage });
const report = await detector.detectWithStats(file, { trace: true });
process.stdout.write(JSON.stringify(report.trace));
detector.dispose();
