export * from './annotate.js';
export * from './backends.js';
export * from './detect.js';
export * from './program.js';
