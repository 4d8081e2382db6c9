/** The default (browser-safe) entry; `node.ts` adds the Node convenience constructor. */
export * from './backend.js';
export * from './build.js';
export * from './runtime.js';
export type { PReluForm } from './prelu.js';
export { decodeModel, type DecodedModel, type DecodedValueInfo } from './decode.js';
