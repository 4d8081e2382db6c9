// The batch's detection worker: the runner's worker, plus the --annotate drawing.
import { serveWorker } from '@mtcnn/runner';
import { annotateAfterDetect } from './annotate.js';

await serveWorker({ afterDetect: annotateAfterDetect });
