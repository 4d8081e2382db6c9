/**
 * FLOPs of one cascade run, from the architecture data of `@mtcnn/models` (networkFlops: 2 x
 * multiply-adds of every conv and dense layer) and what the run actually did: P-Net on every
 * pyramid level, R-Net on `pnetNms` crops, O-Net on `rnetNms` crops.
 */
import type { StageCounts } from '@mtcnn/core';
import { levelSize, pyramidScales } from '@mtcnn/core/backend-kit';
import { NETWORKS, networkFlops } from '@mtcnn/models';

export interface CascadeFlops {
  pnet: number;
  rnet: number;
  onet: number;
  total: number;
}

export const RNET_FLOPS = networkFlops(NETWORKS.rnet);
export const ONET_FLOPS = networkFlops(NETWORKS.onet);

export function cascadeFlops(
  width: number,
  height: number,
  counts: Pick<StageCounts, 'pnetNms' | 'rnetNms'>,
  options: { minFaceSize: number; scaleFactor: number },
): CascadeFlops {
  let pnet = 0;
  for (const s of pyramidScales(height, width, options.minFaceSize, options.scaleFactor)) {
    const l = levelSize(height, width, s);
    pnet += networkFlops(NETWORKS.pnet, l.height, l.width);
  }
  const rnet = counts.pnetNms * RNET_FLOPS;
  const onet = counts.rnetNms * ONET_FLOPS;
  return { pnet, rnet, onet, total: pnet + rnet + onet };
}
