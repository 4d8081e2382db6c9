import type { RgbImage } from '@mtcnn/core';
import { decodeToRgb } from '../decode.js';

/** An image ready for detection and display. */
export interface LoadedImage {
  name: string;
  rgb: RgbImage;
  /** Data URL of the file (self-contained, so exported SVGs keep the picture). */
  href: string;
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string);
    r.onerror = () => reject(r.error ?? new Error('Could not read the file.'));
    r.readAsDataURL(blob);
  });
}

/** Decodes a file or sample for detection (see decodeToRgb) and keeps it as a data URL for display. */
export async function decodeImage(blob: Blob, name: string): Promise<LoadedImage> {
  let rgb: RgbImage;
  try {
    rgb = await decodeToRgb(blob);
  } catch (cause) {
    throw new Error(`${name}: this browser cannot decode it as an image.`, { cause });
  }
  return { name, rgb, href: await readAsDataUrl(blob) };
}

/** The bundled samples (public domain), served from `samples/`. */
export const SAMPLES = [
  { file: 'astronaut-collage.jpg', label: 'Astronaut ×4 sizes' },
  { file: 'camera.png', label: 'Cameraman (grey)' },
] as const;

export async function loadSample(file: string): Promise<LoadedImage> {
  const res = await fetch(new URL(`samples/${file}`, document.baseURI));
  if (!res.ok) throw new Error(`Could not load the sample ${file}: HTTP ${res.status}.`);
  return decodeImage(await res.blob(), file);
}

/** Calls `onImage` for a file dropped anywhere on the page or pasted from the clipboard. */
export function listenForImages(onImage: (file: File) => void, onDragState: (over: boolean) => void): void {
  const firstImage = (files: FileList | undefined | null): File | undefined =>
    Array.from(files ?? []).find((f) => f.type.startsWith('image/'));
  document.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    onDragState(true);
  });
  document.addEventListener('dragleave', (e) => {
    if (e.relatedTarget === null) onDragState(false);
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    onDragState(false);
    const f = firstImage(e.dataTransfer?.files);
    if (f) onImage(f);
  });
  document.addEventListener('paste', (e) => {
    const f = firstImage(e.clipboardData?.files);
    if (f) {
      e.preventDefault();
      onImage(f);
    }
  });
}
