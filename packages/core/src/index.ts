/**
 * `@mtcnn/core`: what an application needs to detect faces with a backend it picked. Every name is
 * exported on purpose (no `export *`): a new module stays internal until it is listed here.
 * Backend authors and tools that take the cascade apart use `@mtcnn/core/backend-kit`; Node
 * applications decode files with `loadImage` from `@mtcnn/core/node`.
 *
 * @packageDocumentation
 */

// Detecting
export {
  createDetector,
  type CreateDetectorOptions,
  type DetectCallOptions,
  type DetectionReport,
  type Detector,
} from './detector.js';
export {
  DEFAULT_OPTIONS,
  resolveOptions,
  type BorderMode,
  type BoxFormat,
  type DetectorOptions,
  type Preset,
  type ResolvedOptions,
} from './options.js';
export { KEYPOINT_NAMES, type Face, type Keypoints, type Point } from './face.js';
export type { Box } from './box.js';
export { MtcnnError, isMtcnnError, type MtcnnErrorCode } from './errors.js';

// Images
export { toRgbImage, type PixelData, type RgbImage } from './image.js';
export {
  readImage,
  type BrowserImageSource,
  type ImageDecoder,
  type ImageInput,
  type ReadImageOptions,
  type TensorLike,
} from './input.js';

// Backends, as an application sees them (implementing one: `@mtcnn/core/backend-kit`)
export type { MtcnnBackend, ONetOutput, PixelLayout, PNetOutput, RNetOutput } from './backend.js';
// A fast backend paired with an exact one for boxes on a pixel edge (the reference preset).
export { EDGE_EPSILON, exactOf, onPixelEdge, withExactEdges, type ExactEdgesBackend } from './edges.js';

// Stage statistics and the trace
export type {
  CropTrace,
  LevelTrace,
  NmsDecision,
  PNetCandidateTrace,
  StageCounts,
  StageTimings,
  StageTrace,
} from './trace.js';
export type { Window } from './resample.js';

// Face crops and alignment
export {
  alignTransform,
  boxCropTransform,
  cropFace,
  extractFaces,
  type ExtractFacesOptions,
  type FaceCrop,
} from './extract.js';
export {
  ARCFACE_SIZE,
  ARCFACE_TEMPLATE,
  alignmentTemplate,
  applySimilarity,
  estimateSimilarity,
  invertSimilarity,
  type Similarity,
} from './align.js';
export { warpSimilarity } from './warp.js';

// Video
export {
  createVideoDetector,
  type TrackedFace,
  type VideoDetectCallOptions,
  type VideoDetector,
  type ResolvedVideoOptions,
  type VideoDetectorOptions,
  type VideoFrameReport,
} from './video/video-detector.js';
export type { Edge } from './video/edges.js';
