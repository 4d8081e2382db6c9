import type { Face } from '@mtcnn/core';

/** What the page reports to the test (read as `window.result`). */
export type Result = { faces: Face[]; backend: string } | { error: string };

export function report(run: () => Promise<{ faces: Face[]; backend: string }>): void {
  const w = window as unknown as { result?: Result };
  run().then(
    (r) => {
      w.result = r;
    },
    (e: unknown) => {
      w.result = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    },
  );
}

export async function photo(): Promise<HTMLImageElement> {
  const img = document.getElementById('photo') as HTMLImageElement;
  await img.decode();
  return img;
}
