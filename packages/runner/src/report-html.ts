import sharp from 'sharp';
import type { RgbImage, StageTrace } from '@mtcnn/core';
import { buildReportHtml } from '@mtcnn/visualizer/report-html';

/**
 * The self-contained HTML stage report of one detection (the visualizer's report viewer, with
 * the image and the trace embedded). Used by `mtcnn report` and `POST /v1/report`.
 */
export async function reportHtml(image: RgbImage, trace: StageTrace, name: string, backend: string): Promise<string> {
  // PNG of the decoded pixels: the report's crops are then exactly what the networks saw.
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
  return buildReportHtml({ trace, png, name, backend });
}
