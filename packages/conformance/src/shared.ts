import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository: test images and the reference output. Never committed. */
export const SHARED_DIR = fileURLToPath(new URL('../../../../shared/', import.meta.url));
export const DEV_DIR = `${SHARED_DIR}images/dev/`;
export const ORACLE_PATH = `${DEV_DIR}oracle-facenet.json`;

export const sharedAvailable = existsSync(ORACLE_PATH);

export interface OracleFace {
  box: [number, number, number, number];
  prob: number;
  landmarks: [number, number][];
}

export interface OracleStages {
  pyramid: {
    scale: number;
    resized_hw: [number, number];
    pnet_map_hw: [number, number];
    candidates_ge_thr: number;
    'after_scale_nms_0.5': number;
  }[];
  'pnet_after_cross_scale_nms_0.7': number;
  rnet_pass_thr: number;
  'rnet_after_nms_0.7': number;
  onet_pass_thr?: number;
  'onet_after_nms_0.7_min'?: number;
}

export interface OracleImage {
  image: string;
  width: number;
  height: number;
  faces: OracleFace[];
  stages: OracleStages;
}

export function loadOracle(): Record<string, OracleImage> {
  return (JSON.parse(readFileSync(ORACLE_PATH, 'utf8')) as { images: Record<string, OracleImage> }).images;
}

/** Say loudly why a suite is skipped: CI has ../shared, so a skip there is a setup bug. */
export function warnSharedMissing(what: string): void {
  console.warn(
    `\n!!! SKIPPED ${what}: ${ORACLE_PATH} not found. Put the project's shared/ folder beside the repository. !!!\n`,
  );
}
