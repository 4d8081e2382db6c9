import type { MtcnnBackend } from './backend.js';
import { MtcnnError } from './errors.js';
import { makeFace, type Face } from './face.js';
import type { RgbImage } from './image.js';
import { readImage, type ImageDecoder, type ImageInput } from './input.js';
import { resolveOptions, type DetectorOptions, type ResolvedOptions } from './options.js';
import { areaSampler } from './resample.js';
import { clearWasmArea } from './resample-wasm.js';
import { scratchPool } from './scratch.js';
import { serialBackend } from './serial.js';
import { runONetStage } from './stages/onet.js';
import { runPNetStage } from './stages/pnet.js';
import { runRNetStage } from './stages/rnet.js';
import type { StageCounts, StageTimings, StageTrace } from './trace.js';

export interface DetectCallOptions {
  /** Record the stage trace (off by default; costs memory on large images). */
  trace?: boolean;
  /** Stops the detection between pyramid levels and stages; rejects with code `ABORTED`. */
  signal?: AbortSignal;
}

export interface DetectionReport {
  faces: Face[];
  counts: StageCounts;
  timings: StageTimings;
  /** Present when `trace: true` was asked for. */
  trace?: StageTrace;
}

export interface Detector {
  readonly options: Readonly<ResolvedOptions>;
  readonly backend: MtcnnBackend;
  /** Faces in `image`, largest first. */
  detect(image: ImageInput, call?: DetectCallOptions): Promise<Face[]>;
  /** Faces plus per-stage counts, timings and (opt-in) the stage trace. */
  detectWithStats(image: ImageInput, call?: DetectCallOptions): Promise<DetectionReport>;
  /** Disposes the backend. The detector cannot be used afterwards. Idempotent. */
  dispose(): void;
}

export interface CreateDetectorOptions extends DetectorOptions {
  /** Decodes paths and encoded bytes; in Node, `loadImage` from `@mtcnn/core/node`. */
  decoder?: ImageDecoder;
}

/** A backend is an object with the three networks and `dispose` (`createDetector([])` was accepted). */
function checkBackend(backend: unknown): asserts backend is MtcnnBackend {
  const b = backend as Partial<Record<keyof MtcnnBackend, unknown>> | null;
  const missing =
    b === null || typeof b !== 'object' || Array.isArray(b)
      ? ['runPNet', 'runRNet', 'runONet', 'dispose']
      : (['runPNet', 'runRNet', 'runONet', 'dispose'] as const).filter((k) => typeof b[k] !== 'function');
  if (missing.length > 0) {
    throw new MtcnnError(
      'INVALID_OPTION',
      `createDetector needs a backend (an object with runPNet, runRNet, runONet and dispose), e.g. await ` +
        `createNodeOnnxBackend() from @mtcnn/backend-onnx; ` +
        `got ${Array.isArray(backend) ? 'an array' : backend === null ? 'null' : typeof backend}` +
        `${missing.length < 4 ? ` without ${missing.join(', ')}` : ''}.`,
    );
  }
}

/**
 * A detector on a backend. Options are validated here (throws `MtcnnError('INVALID_OPTION')`).
 * The detector owns the backend: `dispose()` disposes it. Concurrent `detect()` calls are safe
 * and give what sequential calls give.
 */
export function createDetector(backend: MtcnnBackend, options: CreateDetectorOptions = {}): Detector {
  checkBackend(backend);
  const opts = resolveOptions(options);
  const decoder = options.decoder;
  if (decoder !== undefined && typeof decoder !== 'function') {
    throw new MtcnnError('INVALID_OPTION', 'decoder must be a function (source, options) => Promise<RgbImage>.');
  }
  const net = serialBackend(backend);
  const scratch = scratchPool();
  let disposed = false;
  const disposedError = (): MtcnnError => new MtcnnError('DISPOSED', 'This detector was disposed; create a new one.');

  async function detectWithStats(input: ImageInput, call: DetectCallOptions = {}): Promise<DetectionReport> {
    const withTrace = call.trace === true;
    const checkpoint = (): void => {
      if (disposed) throw disposedError();
      if (call.signal?.aborted)
        throw new MtcnnError('ABORTED', 'Detection was aborted by its AbortSignal.', { cause: call.signal.reason });
    };
    checkpoint();
    const image = await readImage(input, {
      decoder,
      autoOrient: opts.autoOrient,
      maxPixels: opts.maxPixels,
      maxFileBytes: opts.maxFileBytes,
      signal: call.signal,
    });
    checkpoint();
    const t0 = performance.now();
    // One summed-area table serves every level and crop of this image; its buffer, the levels'
    // and the crops' go back to the detector's pool for the next call (scratch.ts).
    const sampler = areaSampler(image, scratch);
    let p: Awaited<ReturnType<typeof runPNetStage>>;
    let r: Awaited<ReturnType<typeof runRNetStage>>;
    let o: Awaited<ReturnType<typeof runONetStage>>;
    let t1: number;
    let t2: number;
    try {
      p = await runPNetStage(net, image, opts, withTrace, checkpoint, sampler, scratch);
      t1 = performance.now();
      checkpoint();
      r = await runRNetStage(net, image, p.boxes, p.ids, opts, withTrace, sampler, scratch, p.exactInputs);
      t2 = performance.now();
      checkpoint();
      o = await runONetStage(net, image, r.boxes, r.ids, opts, withTrace, sampler, scratch);
    } finally {
      sampler.release();
    }
    const t3 = performance.now();
    const faces = o.faces.map((f) => makeFace(f.box, f.score, f.landmarks, opts.boxFormat));
    const counts: StageCounts = {
      scales: p.scales.length,
      pnet: p.candidateCount,
      pnetNms: p.boxes.length,
      rnet: r.passedCount,
      rnetNms: r.boxes.length,
      onet: o.passedCount,
      faces: faces.length,
    };
    const post = p.postMs + r.postMs + o.postMs;
    const timings: StageTimings = {
      pyramid: p.pyramidMs,
      pnet: t1 - t0,
      rnet: t2 - t1,
      onet: t3 - t2,
      post,
      total: t3 - t0,
    };
    const report: DetectionReport = { faces, counts, timings };
    if (withTrace) {
      report.trace = {
        image: { width: image.width, height: image.height },
        options: { ...opts },
        pyramid: p.trace!.levels,
        pnet: { candidates: p.trace!.candidates },
        rnet: { inputs: r.trace! },
        onet: { inputs: o.trace! },
        faces,
        faceSources: o.faces.map((f) => f.id),
        counts,
        timings,
      };
    }
    return report;
  }

  return {
    options: opts,
    backend,
    detectWithStats,
    async detect(image, call) {
      return (await detectWithStats(image, call)).faces;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      // Calls waiting for the backend reject now (DISPOSED) instead of each preparing one more
      // level or batch first; the pool's buffers are let go.
      net.close(disposedError());
      scratch.clear();
      // The WebAssembly resampler's instances are shared by the detectors of a process (they
      // hold no state between images); another detector's next image makes a new one (cheap).
      clearWasmArea();
      backend.dispose();
    },
  };
}

export type { RgbImage };
