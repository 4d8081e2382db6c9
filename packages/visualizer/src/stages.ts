import type { VizInput } from './model.js';
import { candidatesRenderer } from './renderers/candidates.js';
import { nmsRenderer } from './renderers/nms.js';
import { onetRenderer } from './renderers/onet.js';
import { pnetKernelRenderer } from './renderers/pnet-kernel.js';
import { pyramidRenderer } from './renderers/pyramid.js';
import { rnetRenderer } from './renderers/rnet.js';
import type { StageId } from './renderers/strip.js';
import type { Container } from './view.js';

// biome-ignore lint/suspicious/noExplicitAny: each renderer has its own state shape
export type StageRenderer = (sel: Container, input: VizInput, state?: any) => void;

/** The panels in cascade order: id, the name used in file names, and the renderer. */
export const STAGES: ReadonlyArray<{ id: StageId; name: string; render: StageRenderer }> = [
  { id: 'pyramid', name: 'pyramid', render: pyramidRenderer },
  { id: 'pnet', name: 'pnet-kernel', render: pnetKernelRenderer },
  { id: 'candidates', name: 'candidates', render: candidatesRenderer },
  { id: 'nms', name: 'nms', render: nmsRenderer },
  { id: 'rnet', name: 'rnet', render: rnetRenderer },
  { id: 'onet', name: 'onet', render: onetRenderer },
];
