/**
 * The stage renderers (each `selection.call(renderer, input)`), the viewer that hosts them, their data model, and the
 * explanations (trace in, explanation out).
 */
export * from './colors.js';
export * from './explain/explanation.js';
export * from './explain/journey.js';
export * from './explain/lineage.js';
export * from './explain/overlap.js';
export * from './explain/query.js';
export * from './export-svg.js';
export * from './geometry.js';
export * from './model.js';
export * from './renderers/index.js';
export * from './viewer.js';
// The d3 selection types the renderers take.
export type { ZoomState } from './interact.js';
export type { Any, Container, G, Svg } from './view.js';
