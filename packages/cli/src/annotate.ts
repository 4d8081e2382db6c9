import sharp from 'sharp';
import type { BoxFormat, Face, RgbImage } from '@mtcnn/core';
import type { AfterDetect } from '@mtcnn/runner';
import { writeOutput } from './outputs.js';

const COLORS = ['#ff3b30', '#34c759', '#0a84ff', '#ffcc00', '#ff2d55'];

/** SVG overlay of the faces' boxes (in `boxFormat`, as the detector gave them), confidences and landmarks. */
export function facesSvg(width: number, height: number, faces: readonly Face[], boxFormat: BoxFormat): string {
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 300));
  const parts = faces.map((f) => {
    const [x, y, a, b] = f.box;
    const [w, h] = boxFormat === 'xyxy' ? [a - x, b - y] : [a, b];
    const dots = Object.values(f.keypoints)
      .map(([px, py], k) => `<circle cx="${px}" cy="${py}" r="${stroke * 1.5}" fill="${COLORS[k]}"/>`)
      .join('');
    const label =
      `<text x="${x}" y="${Math.max(y - stroke * 2, 12)}" font-family="sans-serif" ` +
      `font-size="${Math.max(12, stroke * 7)}" fill="#00e5ff">${f.confidence.toFixed(3)}</text>`;
    return (
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" ` +
      `stroke="#00e5ff" stroke-width="${stroke}"/>${dots}${label}`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** Where one image's annotated copy goes, and how (batch.ts decides, per task). */
export interface AnnotateTarget {
  path: string;
  /** Replace an existing file (--overwrite, or --resume redoing its own files). */
  overwrite: boolean;
  /** Resolved paths of every input: never written. */
  inputs?: string[];
}

/** The PNG of `image` with its faces (boxes in `boxFormat`) drawn. */
export async function annotatedPng(image: RgbImage, faces: readonly Face[], boxFormat: BoxFormat): Promise<Buffer> {
  const svg = Buffer.from(facesSvg(image.width, image.height, faces, boxFormat));
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .composite([{ input: svg, top: 0, left: 0 }])
    .png()
    .toBuffer();
}

/**
 * Write `image` with its faces drawn to `target.path` (an `OutputError`, code `OUTPUT_EXISTS` or
 * `WRITE_FAILED`, if it cannot); returns the path written.
 */
export async function writeAnnotated(
  target: AnnotateTarget,
  image: RgbImage,
  faces: readonly Face[],
  boxFormat: BoxFormat,
): Promise<string> {
  await writeOutput(target.path, await annotatedPng(image, faces, boxFormat), {
    overwrite: target.overwrite,
    inputs: target.inputs ? new Set(target.inputs) : undefined,
  });
  return target.path;
}

/**
 * The batch workers' hook (worker.ts): with `--annotate DIR`, the task's `hookData` says where its
 * annotated image goes; writes it and says where.
 */
export const annotateAfterDetect: AfterDetect = async ({ image, faces, boxFormat, data }) => {
  const target = data as AnnotateTarget | undefined;
  if (!target) return [];
  return [`  annotated: ${await writeAnnotated(target, image, faces, boxFormat)}`];
};
