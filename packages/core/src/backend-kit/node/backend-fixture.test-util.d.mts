import type { MtcnnBackend, PixelLayout } from '../../backend.js';

export function createThreadBackend(options: {
  name: string;
  pixelLayout?: PixelLayout;
  flavour?: string;
}): Promise<MtcnnBackend>;
