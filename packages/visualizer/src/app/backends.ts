import type { MtcnnBackend } from '@mtcnn/core';
import { BACKEND_NAMES, BACKENDS, createBackend, type BackendName } from '@mtcnn/backends/browser';

/**
 * The backends the app offers: the browser registry of `@mtcnn/backends`, each loaded on first use
 * (the page only downloads the runtime you pick). Weights and .wasm files are served next to the
 * page (copied from node_modules at build time, see scripts/copy-assets.mjs).
 */
export type BrowserBackendId = BackendName;

export const BROWSER_BACKENDS: ReadonlyArray<{ id: BrowserBackendId; label: string }> = BACKEND_NAMES.map((id) => ({
  id,
  label: BACKENDS[id].description,
}));

export function createBrowserBackend(id: BrowserBackendId): Promise<MtcnnBackend> {
  return createBackend(id, { assets: new URL('./', document.baseURI).href });
}
