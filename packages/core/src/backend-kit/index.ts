/**
 * `@mtcnn/core/backend-kit`: for people who write a backend, or a tool that takes the cascade
 * apart (the visualizer, the benchmarks). Applications need none of it (`@mtcnn/core`).
 *
 * - The contract: the `MtcnnBackend` interface and its outputs, the argument checks every backend
 *   makes, pixel layout conversions, P-Net strips (a large level computed in pieces with the same
 *   outputs).
 * - The cascade's steps, as the detector runs them: the pyramid, area resampling, P-Net's map to
 *   candidates, box regression, crop windows and fills, NMS, box matching.
 * - Node only: worker threads serving a backend's network runs, `@mtcnn/core/backend-kit/node`.
 *
 * @packageDocumentation
 */

// The contract
export type { MtcnnBackend, ONetOutput, PixelLayout, PNetOutput, RNetOutput } from '../backend.js';
export { checkBatchInput, checkLevelInput, pnetOutputSize, wholeNumberOption } from '../backend.js';
export { toNCHW, toNHWC } from '../layout.js';
export { levelRows, mergePNetStrips, pnetStrips, type Strip } from '../strips.js';
// A backend deciding boxes on a pixel edge (the reference preset): its P-Net, cell by cell.
export { pnetOffsetsOf, pnetWindow, type PNetWindow } from '../edges.js';
export { MtcnnError, isMtcnnError, type MtcnnErrorCode } from '../errors.js';

// The cascade's steps
export { PNET_CELL, levelSize, pyramidScales } from '../pyramid.js';
export {
  areaSampler,
  resampleArea,
  resampleImage,
  type AreaSampler,
  type AreaSamplerOptions,
  type Window,
} from '../resample.js';
export type { Scratch } from '../scratch.js';
export { cellBox, pnetCandidates, type PNetCandidate } from '../stages/pnet.js';
export { regressPNet, regressPlusOne, square, type Box, type Offsets } from '../box.js';
export { cropFill, cropWindow } from '../crop.js';
export { nms, type NmsMethod, type NmsOptions, type NmsResult, type NmsTies } from '../nms.js';
export { faceProbabilities, faceProbability, logitLowerBound, type SoftmaxKernel } from '../softmax.js';
export { greedyMatch, iou, type GreedyMatch } from '../video/tracks.js';
