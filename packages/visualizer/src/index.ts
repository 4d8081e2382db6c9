/** The stage renderers (each `selection.call(renderer, input)`), the viewer that hosts them, and their data model. */
export * from './colors.js';
export * from './export-svg.js';
export * from './geometry.js';
export * from './model.js';
export * from './renderers/index.js';
export * from './viewer.js';
// The d3 selection types the renderers take.
export type { Container, G, Svg } from './view.js';
