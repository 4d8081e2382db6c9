import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import type { Face, RgbImage } from '@mtcnn/core';
import type { AfterDetect } from '@mtcnn/runner';

const COLORS = ['#ff3b30', '#34c759', '#0a84ff', '#ffcc00', '#ff2d55'];

/** SVG overlay of the faces' boxes (`[x, y, w, h]`), confidences and landmarks. */
export function facesSvg(width: number, height: number, faces: readonly Face[]): string {
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 300));
  const parts = faces.map((f) => {
    const [x, y, w, h] = f.box;
    const dots = Object.values(f.keypoints)
      .map(([px, py], k) => `<circle cx="${px}" cy="${py}" r="${stroke * 1.5}" fill="${COLORS[k]}"/>`)
      .join('');
    const label = `<text x="${x}" y="${Math.max(y - stroke * 2, 12)}" font-family="sans-serif" font-size="${Math.max(12, stroke * 7)}" fill="#00e5ff">${f.confidence.toFixed(3)}</text>`;
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#00e5ff" stroke-width="${stroke}"/>${dots}${label}`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** Write `image` with its faces drawn as `<dir>/<name>.png`; returns the path written. */
export async function writeAnnotated(
  dir: string,
  file: string,
  image: RgbImage,
  faces: readonly Face[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const out = join(dir, `${basename(file, extname(file))}.png`);
  const svg = Buffer.from(facesSvg(image.width, image.height, faces));
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .composite([{ input: svg, top: 0, left: 0 }])
    .png()
    .toFile(out);
  return out;
}

/**
 * The batch workers' hook (worker.ts): with `--annotate DIR` (`extra.annotate`), writes the image
 * with its faces drawn and says where.
 */
export const annotateAfterDetect: AfterDetect = async ({ label, image, faces, extra }) => {
  const dir = (extra as { annotate?: string } | undefined)?.annotate;
  if (!dir || label === undefined) return [];
  return [`  annotated: ${await writeAnnotated(dir, label, image, faces)}`];
};
