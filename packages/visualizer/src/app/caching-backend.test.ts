import { createDetector } from '@mtcnn/core';
import { describe, expect, it } from 'vitest';
import { fakeBackend, FIXTURE_IMAGE, FIXTURE_OPTIONS } from '../fixture.test-util.js';
import { contentKey, createCachingBackend } from './caching-backend.js';

async function detect(backend: ReturnType<typeof createCachingBackend>, options: Parameters<typeof createDetector>[1]) {
  backend.resetCounts();
  const r = await createDetector(backend, { ...FIXTURE_OPTIONS, ...options }).detectWithStats(FIXTURE_IMAGE, {
    trace: true,
  });
  return { r, counts: structuredClone(backend.counts) };
}

describe('createCachingBackend', () => {
  it('gives the same results as the network it wraps', async () => {
    const plain = await createDetector(fakeBackend(), FIXTURE_OPTIONS).detectWithStats(FIXTURE_IMAGE, { trace: true });
    const cached = createCachingBackend(fakeBackend());
    const first = await detect(cached, {});
    const again = await detect(cached, {});
    expect(first.r.faces).toEqual(plain.faces);
    expect(again.r.faces).toEqual(plain.faces);
    expect(JSON.stringify(again.r.trace!.pnet)).toBe(JSON.stringify(plain.trace!.pnet));
    expect(JSON.stringify(again.r.trace!.onet)).toBe(JSON.stringify(plain.trace!.onet));
  });

  it('re-runs no network when only R-Net / O-Net thresholds or the O-Net NMS move', async () => {
    const calls = { pnet: 0, rnet: 0, onet: 0 };
    const cached = createCachingBackend(fakeBackend(calls));
    const first = await detect(cached, {});
    expect(first.counts.pnet).toEqual({ ran: first.r.counts.scales, cached: 0 });
    const before = { ...calls };
    // The O-Net threshold changes only post-processing: nothing runs, and the faces change.
    const o = await detect(cached, { thresholds: [0.6, 0.7, 0.995] });
    expect(calls).toEqual(before);
    expect(o.counts.pnet.ran + o.counts.rnet.ran + o.counts.onet.ran).toBe(0);
    expect(o.r.counts.faces).toBeLessThan(first.r.counts.faces + 1);
    expect(o.r.counts.onet).toBeLessThan(first.r.counts.onet);
    // The R-Net threshold changes which boxes O-Net sees; a stricter one only drops boxes already seen.
    const r = await detect(cached, { thresholds: [0.6, 0.89, 0.7] });
    expect(calls).toEqual(before);
    expect(r.counts.rnet).toEqual({ ran: 0, cached: first.r.counts.pnetNms });
    expect(r.r.counts.rnet).toBeLessThan(first.r.counts.rnet);
  });

  it('runs R-Net only on the new crops when a lower P-Net threshold adds boxes', async () => {
    const cached = createCachingBackend(fakeBackend());
    const first = await detect(cached, {});
    const lower = await detect(cached, { thresholds: [0.4, 0.7, 0.7] });
    expect(lower.counts.pnet).toEqual({ ran: 0, cached: first.r.counts.scales });
    expect(lower.r.counts.pnetNms).toBeGreaterThan(first.r.counts.pnetNms);
    expect(lower.counts.rnet.ran).toBeGreaterThan(0);
    expect(lower.counts.rnet.ran).toBeLessThan(lower.r.counts.pnetNms);
    expect(lower.counts.rnet.ran + lower.counts.rnet.cached).toBe(lower.r.counts.pnetNms);
  });

  it('re-runs P-Net when the pyramid changes', async () => {
    const cached = createCachingBackend(fakeBackend());
    await detect(cached, {});
    const other = await detect(cached, { minFaceSize: 15 });
    expect(other.counts.pnet.ran).toBe(other.r.counts.scales);
  });

  it('keys by content', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    expect(contentKey(a)).toBe(contentKey(Float32Array.from(a)));
    expect(contentKey(a)).not.toBe(contentKey(new Float32Array([1, 2, 3, 5])));
    expect(contentKey(a, 2, 4)).toBe(contentKey(new Float32Array([3, 4])));
  });
});
