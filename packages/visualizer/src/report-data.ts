import type { StageTrace } from '@mtcnn/core';

/**
 * What `mtcnn report` embeds in the HTML file: the trace, the image the detector saw (PNG of its
 * decoded pixels, so the report's crops are exact) and where it came from. The P-Net probability
 * maps, most of the trace's size, travel as base64 float32 (exact, 4x smaller than JSON numbers).
 */
export interface ReportData {
  format: 'mtcnn-report/1';
  name: string;
  /** `data:image/png;base64,...` */
  image: string;
  backend: string;
  createdAt: string;
  trace: StageTrace;
}

/** The element id of the embedded JSON. */
export const REPORT_DATA_ID = 'mtcnn-report-data';

type Packed = Omit<ReportData, 'trace'> & {
  trace: Omit<StageTrace, 'pyramid'> & {
    pyramid: Array<Omit<StageTrace['pyramid'][number], 'prob'> & { prob: string }>;
  };
};

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function packReport(data: ReportData): string {
  const packed: Packed = {
    ...data,
    trace: {
      ...data.trace,
      pyramid: data.trace.pyramid.map((l) => ({
        ...l,
        prob: toBase64(new Uint8Array(Float32Array.from(l.prob).buffer)),
      })),
    },
  };
  return JSON.stringify(packed);
}

export function unpackReport(json: string): ReportData {
  const packed = JSON.parse(json) as Packed;
  if (packed.format !== 'mtcnn-report/1') throw new Error(`Unknown report format ${JSON.stringify(packed.format)}.`);
  return {
    ...packed,
    trace: {
      ...packed.trace,
      pyramid: packed.trace.pyramid.map((l) => {
        const bytes = fromBase64(l.prob);
        return { ...l, prob: Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)) };
      }),
    },
  };
}
