/** Node's user API: decoding image files and bytes with sharp. */
export { loadImage, type LoadImageOptions } from './decode.js';
