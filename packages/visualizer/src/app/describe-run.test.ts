import { describe, expect, it } from 'vitest';
import { describeRun, type RunSummary } from './describe-run.js';

const base: RunSummary = {
  ms: 120,
  post: 3.2,
  faces: 2,
  backend: 'onnx-wasm',
  levels: 6,
  minFaceSize: 20,
  nets: { pnet: { ran: 0, cached: 6 }, rnet: { ran: 0, cached: 40 }, onet: { ran: 0, cached: 9 } },
};

describe('describeRun', () => {
  it('says only the post-processing re-ran when every network answered from the cache', () => {
    expect(describeRun(base)).toContain('only the post-processing re-ran');
  });

  it('does not claim a re-run for an image where no network could run (bug 8)', () => {
    const s = describeRun({
      ...base,
      faces: 0,
      levels: 0,
      nets: { pnet: { ran: 0, cached: 0 }, rnet: { ran: 0, cached: 0 }, onet: { ran: 0, cached: 0 } },
    });
    expect(s).not.toContain('post-processing re-ran');
    expect(s).toContain('smaller than the min face size (20 px), so there is no pyramid level and no network ran');
  });

  it('names what ran, what came from the cache, and which network had no box', () => {
    const s = describeRun({
      ...base,
      nets: { pnet: { ran: 6, cached: 0 }, rnet: { ran: 12, cached: 3 }, onet: { ran: 0, cached: 0 } },
    });
    expect(s).toContain('P-Net ran on 6 levels; R-Net ran on 12 crops (3 cached); O-Net had no box to look at');
  });
});
