import { MtcnnError } from '@mtcnn/core';
import {
  TENSOR_TABLE,
  WEIGHTS_BYTE_LENGTH,
  WEIGHTS_PACKAGE,
  WEIGHTS_PACKAGE_VERSION,
  WEIGHTS_SHA256,
  type TensorName,
} from './manifest.js';

/** The tfjs weights-manifest format (only the fields we read). */
export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}
export type WeightsManifest = { paths: string[]; weights: WeightsManifestEntry[] }[];

/** One tensor as stored (see layout.ts for what the axes mean). */
export interface WeightTensor {
  readonly name: TensorName;
  readonly shape: readonly number[];
  /** A view into the verified shard: treat as read-only. */
  readonly data: Float32Array;
}

export interface MtcnnWeights {
  /** All 50 names, in shard order. */
  readonly names: readonly TensorName[];
  /** Throws `MtcnnError` (`WEIGHTS_MISSING`) for an unknown name. */
  get(name: TensorName): WeightTensor;
  has(name: string): name is TensorName;
  /** Verified sha256 of the shard, hex. */
  readonly sha256: string;
  readonly byteLength: number;
}

const REINSTALL =
  `Reinstall @mtcnn/models (its weights/ directory is ${WEIGHTS_PACKAGE}@${WEIGHTS_PACKAGE_VERSION}'s ` +
  `MTCNN files) or point the loader at an unmodified copy of them.`;

function toHex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** sha256 (hex) via WebCrypto, which Node >= 20 and browsers (secure contexts) provide. */
export async function sha256Hex(bytes: BufferSource): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new MtcnnError(
      'WEIGHTS_CHECKSUM',
      'Cannot verify the MTCNN weights: globalThis.crypto.subtle is unavailable ' +
        '(browsers only expose it in secure contexts, i.e. https or localhost).',
    );
  }
  return toHex(await subtle.digest('SHA-256', bytes));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Checks the manifest lists exactly our tensors, in our order, as float32 with our shapes. */
function checkManifest(manifest: WeightsManifest): void {
  if (!Array.isArray(manifest) || !manifest.every((g) => g && Array.isArray(g.weights))) {
    throw new MtcnnError(
      'WEIGHTS_SHAPE',
      `The MTCNN weights manifest is not a tfjs weights manifest (an array of { paths, weights }). ${REINSTALL}`,
    );
  }
  const entries = manifest.flatMap((g) => g.weights);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const missing = TENSOR_TABLE.filter((t) => !byName.has(t.name)).map((t) => t.name);
  if (missing.length > 0) {
    throw new MtcnnError(
      'WEIGHTS_MISSING',
      `The MTCNN weights manifest lacks ${missing.length} tensor(s): ${missing.join(', ')}. ${REINSTALL}`,
    );
  }
  for (const t of TENSOR_TABLE) {
    const e = byName.get(t.name)!;
    if (!Array.isArray(e.shape) || !sameShape(e.shape, t.shape)) {
      throw new MtcnnError(
        'WEIGHTS_SHAPE',
        `Tensor ${t.name} has shape [${e.shape}] in the manifest, expected [${t.shape}]. ${REINSTALL}`,
      );
    }
    if ((e.dtype ?? 'float32') !== 'float32' || e.quantization != null) {
      throw new MtcnnError(
        'WEIGHTS_SHAPE',
        `Tensor ${t.name} is not plain float32 in the manifest (dtype ${e.dtype}). ${REINSTALL}`,
      );
    }
  }
  // The shard is a concatenation in manifest order, so any other order or extra tensor moves offsets.
  if (entries.length !== TENSOR_TABLE.length || entries.some((e, i) => e.name !== TENSOR_TABLE[i].name)) {
    throw new MtcnnError(
      'WEIGHTS_SHAPE',
      `The MTCNN weights manifest lists ${entries.length} tensors or a ` +
        `different order than the expected ${TENSOR_TABLE.length}. ${REINSTALL}`,
    );
  }
}

/**
 * Verifies (sha256, names, shapes) and slices the shard into tensors.
 * `manifest` is the parsed `mtcnn_model-weights_manifest.json`; `shard` the bytes of `mtcnn_model-shard1`.
 */
export async function parseWeights(manifest: WeightsManifest, shard: ArrayBuffer | Uint8Array): Promise<MtcnnWeights> {
  // Copy once: we keep the data (the caller may reuse its buffer), and a Node Buffer may sit at an
  // offset that is not a multiple of 4.
  const bytes = shard instanceof Uint8Array ? shard.slice() : new Uint8Array(shard.slice(0));
  const sha256 = await sha256Hex(bytes);
  if (sha256 !== WEIGHTS_SHA256) {
    throw new MtcnnError(
      'WEIGHTS_CHECKSUM',
      `The MTCNN weights shard has sha256 ${sha256} (${bytes.byteLength} bytes), expected ${WEIGHTS_SHA256} ` +
        `(${WEIGHTS_BYTE_LENGTH} bytes): the file is corrupt or from another version. ${REINSTALL}`,
    );
  }
  checkManifest(manifest);

  // Float32 views assume little-endian, as in every JS engine in practice.
  const floats = new Float32Array(bytes.buffer);
  const tensors = new Map<string, WeightTensor>();
  let offset = 0;
  for (const t of TENSOR_TABLE) {
    const size = t.shape.reduce((a: number, b: number) => a * b, 1);
    tensors.set(
      t.name,
      Object.freeze({ name: t.name, shape: Object.freeze([...t.shape]), data: floats.subarray(offset, offset + size) }),
    );
    offset += size;
  }
  const names = Object.freeze(TENSOR_TABLE.map((t) => t.name));

  return Object.freeze({
    names,
    sha256,
    byteLength: bytes.byteLength,
    has: (name: string): name is TensorName => tensors.has(name),
    get(name: TensorName): WeightTensor {
      const t = tensors.get(name);
      if (!t)
        throw new MtcnnError(
          'WEIGHTS_MISSING',
          `No MTCNN weight tensor named "${name}". Valid names: ${names.join(', ')}.`,
        );
      return t;
    },
  });
}

/** The weights as plain data, for a worker thread (`postMessage` / `workerData` clone it). */
export interface WeightsTransfer {
  sha256: string;
  tensors: { name: TensorName; shape: readonly number[]; data: Float32Array }[];
}

export function weightsTransfer(w: MtcnnWeights): WeightsTransfer {
  return { sha256: w.sha256, tensors: w.names.map((n) => ({ name: n, shape: w.get(n).shape, data: w.get(n).data })) };
}

/** Weights received from `weightsTransfer` (verified by the sender, not hashed again). */
export function weightsFromTransfer(t: WeightsTransfer): MtcnnWeights {
  const byName = new Map<string, WeightTensor>(t.tensors.map((x) => [x.name, x]));
  return {
    names: t.tensors.map((x) => x.name),
    sha256: t.sha256,
    byteLength: t.tensors.reduce((n, x) => n + x.data.byteLength, 0),
    has: (name: string): name is TensorName => byName.has(name),
    get(name: TensorName): WeightTensor {
      const x = byName.get(name);
      if (!x) throw new MtcnnError('WEIGHTS_MISSING', `No weight tensor ${name}.`);
      return x;
    },
  };
}
