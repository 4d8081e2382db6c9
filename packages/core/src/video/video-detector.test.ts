import { describe, expect, it } from 'vitest';
import type { MtcnnBackend, ONetOutput, RNetOutput } from '../backend.js';
import type { Detector, DetectionReport } from '../detector.js';
import { isMtcnnError } from '../errors.js';
import type { Face } from '../face.js';
import { resolveOptions } from '../options.js';
import { createVideoDetector, type VideoDetectorOptions } from './video-detector.js';
import { logitOf } from '../softmax.test-util.js';

/**
 * A fake detector: `detect` (the full cascade) returns scripted faces; its backend says "face" to
 * every R-Net / O-Net crop with zero offsets (so a tracked face comes back as the box it was
 * searched in) unless `reject` is set, and counts the calls.
 */
function fakes(script: (frame: number) => Face[]) {
  const calls = { full: 0, pnet: [] as Array<[number, number]>, rnet: 0, onet: 0 };
  let reject = false;
  const backend: MtcnnBackend = {
    name: 'fake',
    async runPNet(_level, height, width) {
      calls.pnet.push([height, width]);
      const h = Math.ceil((height - 2) / 2) - 4;
      const w = Math.ceil((width - 2) / 2) - 4;
      return { logit: new Float32Array(h * w).fill(-Infinity), reg: new Float32Array(h * w * 4), height: h, width: w };
    },
    async runRNet(_crops, count): Promise<RNetOutput> {
      calls.rnet++;
      return {
        logit: new Float32Array(count).fill(reject ? -Infinity : logitOf(0.9)),
        reg: new Float32Array(count * 4),
      };
    },
    async runONet(_crops, count): Promise<ONetOutput> {
      calls.onet++;
      return {
        logit: new Float32Array(count).fill(logitOf(0.95)),
        reg: new Float32Array(count * 4),
        landmarks: new Float32Array(count * 10).fill(0.5),
      };
    },
    dispose() {},
  };
  let frame = 0;
  const detector: Detector = {
    options: resolveOptions(),
    backend,
    async detect() {
      calls.full++;
      return script(frame);
    },
    async detectWithStats(): Promise<DetectionReport> {
      throw new Error('unused');
    },
    dispose() {},
  };
  return {
    calls,
    detector,
    setFrame: (f: number) => (frame = f),
    setReject: (r: boolean) => (reject = r),
  };
}

const face = (x: number, y: number, s: number): Face => ({
  box: [x, y, s, s],
  confidence: 0.99,
  keypoints: { left_eye: [x, y], right_eye: [x, y], nose: [x, y], mouth_left: [x, y], mouth_right: [x, y] },
});

const frame = { data: new Uint8Array(200 * 100 * 3), width: 200, height: 100 };
// margin 0, no edge watching: a tracked face is found exactly in its last box.
const still: VideoDetectorOptions = { margin: 0, edgeWatch: 0 };

describe('createVideoDetector', () => {
  it('runs the full cascade on frame 0 and every fullEvery-th frame, R-Net/O-Net in between', async () => {
    const f = fakes(() => [face(20, 20, 40)]);
    const video = createVideoDetector(f.detector, { ...still, fullEvery: 4 });
    const modes: string[] = [];
    for (let i = 0; i < 9; i++) modes.push((await video.detectWithStats(frame)).mode);
    expect(modes).toEqual(['full', 'tracked', 'tracked', 'tracked', 'full', 'tracked', 'tracked', 'tracked', 'full']);
    expect(f.calls.full).toBe(3);
    // Tracked frames never run P-Net (no edge watching, nothing lost).
    expect(f.calls.pnet).toEqual([]);
    expect(f.calls.rnet).toBe(6);
  });

  it('keeps track ids across tracked and full frames, gives new faces new ids, never reuses one', async () => {
    const f = fakes((i) => (i < 3 ? [face(20, 20, 40)] : [face(21, 20, 40), face(120, 20, 40)]));
    const video = createVideoDetector(f.detector, { ...still, fullEvery: 3 });
    const ids: number[][] = [];
    for (let i = 0; i < 6; i++) {
      f.setFrame(i);
      ids.push((await video.detect(frame)).map((t) => t.trackId));
    }
    // Frame 3 is full and finds a second face; the first keeps id 1.
    expect(ids).toEqual([[1], [1], [1], [1, 2], [1, 2], [1, 2]]);
    video.reset();
    expect((await video.detectWithStats(frame)).mode).toBe('full');
    expect((await video.detect(frame)).map((t) => t.trackId)).toEqual([3, 4]);
  });

  it('gives a tracked face back as O-Net sees it in its search box, in the detector box format', async () => {
    const f = fakes(() => [face(20, 20, 40)]);
    const video = createVideoDetector(f.detector, still);
    await video.detect(frame);
    const [t] = await video.detect(frame);
    // Zero offsets, margin 0: the same square box; landmarks at the middle of the box as O-Net gave them.
    expect(t.box).toEqual([20, 20, 40, 40]);
    expect(t.confidence).toBeCloseTo(0.95, 6);
    expect(t.keypoints.nose[0]).toBeCloseTo(20 + 41 * 0.5 - 1, 4);
  });

  it(
    'looks for a lost face around where it should be ' + '(onLost local), or runs the full cascade (onLost full)',
    async () => {
      for (const onLost of ['local', 'full'] as const) {
        const f = fakes(() => [face(20, 20, 40)]);
        const video = createVideoDetector(f.detector, { ...still, onLost });
        await video.detect(frame);
        f.setReject(true);
        const r = await video.detectWithStats(frame);
        expect(r.lost).toBe(1);
        if (onLost === 'local') {
          // P-Net on the region 3x the face around it, inside the frame: x -20..100 -> 0..100, y 0..100.
          expect(r.mode).toBe('tracked');
          expect(f.calls.full).toBe(1);
          expect(f.calls.pnet.length).toBeGreaterThan(0);
          expect(f.calls.pnet[0]).toEqual([Math.floor(100 * 0.6 + 1), Math.floor(100 * 0.6 + 1)]);
        } else {
          expect(r.mode).toBe('full');
          expect(f.calls.full).toBe(2);
          expect(f.calls.pnet).toEqual([]);
        }
      }
    },
  );

  it('watches the edge new content comes in at while the faces drift', async () => {
    // Full frames 0 and 2 see the face at x = 20, then 26: it drifts right 3 px per frame, so new
    // content comes in on the left. (Tracked frame 1 finds it where it was searched, at 20.)
    const f = fakes((i) => [face(i < 2 ? 20 : 26, 20, 40)]);
    const video = createVideoDetector(f.detector, { margin: 0, fullEvery: 2, edgeWatch: 0.25 });
    const edges: string[][] = [];
    for (let i = 0; i < 4; i++) {
      f.setFrame(i);
      edges.push((await video.detectWithStats(frame)).edges);
    }
    expect(edges).toEqual([[], [], [], ['left']]);
    // P-Net on the left strip only: 25 px (a quarter of the 100 px side) by 100, at the first
    // pyramid scale 12 / 20: floor(100 * 0.6 + 1) x floor(25 * 0.6 + 1).
    expect(f.calls.pnet[0]).toEqual([61, 16]);
  });

  it('processes frames in call order even when called concurrently', async () => {
    const f = fakes(() => [face(20, 20, 40)]);
    const video = createVideoDetector(f.detector, { ...still, fullEvery: 2 });
    const reports = await Promise.all([0, 1, 2, 3].map(() => video.detectWithStats(frame)));
    expect(reports.map((r) => [r.frame, r.mode])).toEqual([
      [0, 'full'],
      [1, 'tracked'],
      [2, 'full'],
      [3, 'tracked'],
    ]);
  });

  it('rejects bad options with INVALID_OPTION', () => {
    const f = fakes(() => []);
    const bad: VideoDetectorOptions[] = [
      { fullEvery: 0 },
      { fullEvery: 1.5 },
      { margin: -0.1 },
      { matchIou: 0 },
      { keepLost: -1 },
      { edgeWatch: 0.6 },
      { onLost: 'x' as 'full' },
    ];
    for (const o of bad) {
      let err: unknown;
      try {
        createVideoDetector(f.detector, o);
      } catch (e) {
        err = e;
      }
      expect(isMtcnnError(err, 'INVALID_OPTION'), JSON.stringify(o)).toBe(true);
    }
  });
});
