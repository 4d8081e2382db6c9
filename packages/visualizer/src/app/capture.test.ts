import { createDetector } from '@mtcnn/core';
import { describe, expect, it } from 'vitest';
import { fakeBackend, FIXTURE_IMAGE, FIXTURE_OPTIONS } from '../fixture.test-util.js';
import { createCapturingBackend, toRgba } from './capture.js';

/** A PNG stand-in: the RGBA bytes themselves, with the size. */
const encode = async (rgba: Uint8ClampedArray, w: number, h: number): Promise<Blob> =>
  new Blob([`${w}x${h}:`, new Uint8Array(rgba)]);

describe('toRgba', () => {
  it('undoes the normalisation, from HWC and from planes', () => {
    const px = [
      [0, 128, 255],
      [10, 20, 30],
    ];
    const norm = (v: number): number => Math.fround((v - 127.5) * 0.0078125);
    const hwc = Float32Array.from(px.flat().map(norm));
    const chw = Float32Array.from([0, 1, 2].flatMap((c) => px.map((p) => norm(p[c]))));
    for (const [data, layout] of [
      [hwc, 'hwc'],
      [chw, 'chw'],
    ] as const) {
      const out = new Uint8ClampedArray(8);
      toRgba(data, 0, 2, 1, layout, out);
      expect(Array.from(out)).toEqual([0, 128, 255, 255, 10, 20, 30, 255]);
    }
  });
});

describe('createCapturingBackend', () => {
  it(
    'pictures every level once per image and every crop in ' + 'input (trace id) order, without changing the result',
    async () => {
      const plain = await createDetector(fakeBackend(), FIXTURE_OPTIONS).detectWithStats(FIXTURE_IMAGE, {
        trace: true,
      });
      const capture = createCapturingBackend(fakeBackend(), encode);
      const detector = createDetector(capture, FIXTURE_OPTIONS);
      capture.begin();
      const r = await detector.detectWithStats(FIXTURE_IMAGE, { trace: true });
      expect(r.faces).toEqual(plain.faces);
      const got = await capture.take();
      const t = r.trace!;
      expect(Object.keys(got.levels).sort()).toEqual(t.pyramid.map((l) => `${l.width}x${l.height}`).sort());
      expect(got.rnet!.length).toBe(t.rnet.inputs.length * 24 * 24 * 4);
      expect(got.onet!.length).toBe(t.onet.inputs.length * 48 * 48 * 4);
      // Again on the same image: the levels were already sent; the crops are sent every time.
      capture.begin();
      await detector.detectWithStats(FIXTURE_IMAGE);
      const again = await capture.take();
      expect(again.levels).toEqual({});
      expect(again.rnet!.length).toBe(got.rnet!.length);
      capture.forgetLevels();
      capture.begin();
      await detector.detectWithStats(FIXTURE_IMAGE);
      expect(Object.keys((await capture.take()).levels)).toHaveLength(t.pyramid.length);
    },
  );

  it("pictures a crop as the network's input: the crop of a box inside the image is the image's pixels", async () => {
    // A flat grey image: every crop inside it is that grey.
    const grey = { data: new Uint8Array(60 * 40 * 3).fill(90), width: 60, height: 40 };
    const capture = createCapturingBackend(fakeBackend(), encode);
    const r = await createDetector(capture, { ...FIXTURE_OPTIONS, borderMode: 'grey-pad' }).detectWithStats(grey, {
      trace: true,
    });
    const got = await capture.take();
    const inside = r.trace!.rnet.inputs.find(
      (c) => c.window.x0 >= 0 && c.window.y0 >= 0 && c.window.x1 <= 60 && c.window.y1 <= 40,
    )!;
    const per = 24 * 24 * 4;
    const crop = got.rnet!.subarray(inside.id * per, (inside.id + 1) * per);
    expect(new Set(Array.from(crop).filter((_, i) => i % 4 !== 3))).toEqual(new Set([90]));
  });
});
