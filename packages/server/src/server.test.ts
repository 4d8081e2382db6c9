// The real server on 127.0.0.1 (port 0), real images, real onnx workers, driven over HTTP with fetch.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDetector } from '@mtcnn/backends/node';
import { detectImage, type ImageEntry } from '@mtcnn/runner';
import { createServer, type MtcnnServer } from './server.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLE = join(ROOT, 'examples/astronaut-collage.jpg');
const DEV = join(ROOT, '../shared/images/dev');
const TRUNCATED = join(ROOT, '../shared/images/public/truncated.jpg');
const shared = existsSync(DEV) && existsSync(TRUNCATED);
if (!shared)
  console.warn(
    `\n!!! SKIPPED most server tests: ${DEV} or ${TRUNCATED} not found. Put ../shared beside the repository. !!!\n`,
  );

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

type Body = Uint8Array | string | FormData;

async function post(base: string, path: string, body: Body, type = 'application/octet-stream'): Promise<Answer> {
  const headers = body instanceof FormData ? undefined : { 'content-type': type };
  // an ArrayBuffer-backed copy
  const init = typeof body === 'string' || body instanceof FormData ? body : new Uint8Array(body);
  const r = await fetch(`${base}${path}`, { method: 'POST', body: init, headers });
  const text = await r.text();
  const json = r.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
  return { status: r.status, body: json, headers: r.headers };
}

const form = (bytes: Uint8Array, field = 'image'): FormData => {
  const f = new FormData();
  f.append(field, new Blob([new Uint8Array(bytes)]), 'upload.jpg');
  return f;
};

/** A PNG of just a header that declares `width` x `height` (the decompression bomb shape). */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer): Buffer => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.alloc(0)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Each metric line `name{labels} value` of a Prometheus text answer. */
function metricValue(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe.skipIf(!shared)('mtcnn server (2 onnx workers, queue of 4)', () => {
  let server: MtcnnServer;
  let base: string;
  const images = shared ? readdirSync(DEV).filter((f) => /\.(jpe?g|png)$/.test(f)) : [];
  const bytes = new Map<string, Buffer>();
  const expected = new Map<string, ImageEntry>();
  const sent = new Map<number, number>(); // every /v1/detect answer by status, for the metrics test
  const detect = async (body: Body, query = '', type?: string): Promise<Answer> => {
    const a = await post(base, `/v1/detect${query}`, body, type);
    sent.set(a.status, (sent.get(a.status) ?? 0) + 1);
    return a;
  };

  beforeAll(async () => {
    // Expected entries: the same backend in this process, on the same bytes.
    const detector = await openDetector('onnx', {});
    try {
      for (const name of images) {
        bytes.set(name, readFileSync(join(DEV, name)));
        const r = await detectImage(detector, { source: { bytes: bytes.get(name)! } });
        if ('error' in r) throw new Error(`${name}: ${r.error.code}`);
        expected.set(name, r.entry);
      }
    } finally {
      detector.dispose();
    }
    server = await createServer({ workers: 2, queueSize: 4, logger: false });
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => server?.close());

  it('answers each dev image, raw and multipart, with its entry', async () => {
    expect(images).toHaveLength(10);
    for (const name of images) {
      const raw = await detect(bytes.get(name)!, '', name.endsWith('.png') ? 'image/png' : 'image/jpeg');
      expect([name, raw.status]).toEqual([name, 200]);
      expect(raw.body).toEqual(expected.get(name));
      const multi = await detect(form(bytes.get(name)!));
      expect(multi.body).toEqual(expected.get(name));
    }
    const stats = await detect(bytes.get('ivan.jpg')!, '?stats=true&min_face=20&box_format=xywh');
    expect(stats.body).toMatchObject({ ...expected.get('ivan.jpg'), stages: { faces: 1 } });
  });

  it('answers every bad input with its 4xx and keeps answering', async () => {
    const jpeg = bytes.get('ivan.jpg')!;
    const zeroByZero = pngHeaderOnly(0, 0);
    const cases: [what: string, answer: Promise<Answer>, status: number, code: string][] = [
      ['truncated JPEG', detect(readFileSync(TRUNCATED), '', 'image/jpeg'), 422, 'DECODE_FAILED'],
      ['empty body', detect(new Uint8Array(0), '', 'image/jpeg'), 422, 'DECODE_FAILED'],
      ['text', detect('definitely not an image', '', 'text/plain'), 415, 'UNSUPPORTED_FORMAT'],
      [
        'JSON with a URL (never fetched)',
        detect('{"url":"http://127.0.0.1/"}', '', 'application/json'),
        415,
        'UNSUPPORTED_FORMAT',
      ],
      ['60000x60000 PNG header', detect(pngHeaderOnly(60000, 60000), '', 'image/png'), 413, 'IMAGE_TOO_LARGE'],
      ['0x0 PNG', detect(zeroByZero, '', 'image/png'), 422, 'DECODE_FAILED'],
      ['min_face below 12', detect(jpeg, '?min_face=5'), 400, 'INVALID_OPTION'],
      ['min_face not a number', detect(jpeg, '?min_face=big'), 400, 'INVALID_OPTION'],
      ['thresholds with an empty part', detect(jpeg, '?thresholds=0.6,0.7,'), 400, 'INVALID_OPTION'],
      ['nms of 3 values', detect(jpeg, '?nms=0.5,0.7,0.7'), 400, 'INVALID_OPTION'],
      ['unknown border', detect(jpeg, '?border=mirror'), 400, 'INVALID_OPTION'],
      ['unknown parameter', detect(jpeg, '?minFace=40'), 400, 'INVALID_OPTION'],
      ['repeated parameter', detect(jpeg, '?min_face=20&min_face=30'), 400, 'INVALID_OPTION'],
      ['multipart without an image field', detect(form(jpeg, 'photo')), 400, 'INVALID_IMAGE'],
      ['body over --max-bytes', detect(new Uint8Array(21 * 1024 * 1024), '', 'image/jpeg'), 413, 'BODY_TOO_LARGE'],
    ];
    for (const [what, answer, status, code] of cases) {
      const a = await answer;
      expect([what, a.status, a.body]).toEqual([what, status, { error: { code, message: expect.any(String) } }]);
    }
    const ok = await detect(jpeg);
    expect([ok.status, ok.body]).toEqual([200, expected.get('ivan.jpg')]);
    expect(server.pool.stats().replaced).toBe(0);
  });

  it('200 concurrent requests: each 200 (with its own image faces) or 503 with Retry-After, none lost', async () => {
    const order = Array.from({ length: 200 }, (_, i) => images[i % images.length]);
    const answers = await Promise.all(order.map((name) => detect(bytes.get(name)!)));
    const byStatus = new Map<number, number>();
    answers.forEach((a, i) => {
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      if (a.status === 200) expect([order[i], a.body]).toEqual([order[i], expected.get(order[i])]);
      else {
        expect([order[i], a.status, a.body]).toEqual([
          order[i],
          503,
          { error: { code: 'QUEUE_FULL', message: expect.any(String) } },
        ]);
        expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
    });
    expect((byStatus.get(200) ?? 0) + (byStatus.get(503) ?? 0)).toBe(200);
    expect(byStatus.get(200)).toBeGreaterThanOrEqual(6); // 2 running + 4 queued at least
    expect(byStatus.get(503)).toBeGreaterThan(0);
    expect(server.pool.stats()).toMatchObject({ busy: 0, queued: 0 });
  });

  it('/metrics counts every request sent, by status, and the faces and stages of the detections', async () => {
    const text = (await (await fetch(`${base}/metrics`)).text()) as string;
    let total = 0;
    for (const [status, n] of sent) {
      expect([status, metricValue(text, 'mtcnn_http_requests_total', `route="/v1/detect",status="${status}"`)]).toEqual(
        [status, n],
      );
      total += n;
    }
    expect(total).toBeGreaterThan(200);
    const ok = sent.get(200)!;
    expect(metricValue(text, 'mtcnn_detection_seconds_count', 'stage="total"')).toBe(ok);
    expect(metricValue(text, 'mtcnn_detections_total', 'outcome="ok"')).toBe(ok);
    expect(text).toMatch(/^mtcnn_faces_total \d+$/m);
    expect(text).toContain('mtcnn_queue_depth 0');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('serves /healthz, /readyz, the OpenAPI document, and the HTML report', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, expect.objectContaining({ status: 'ready', workers: 2 })]);
    const api = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: { content: object } }>>;
    };
    expect(api.openapi).toMatch(/^3\./);
    expect(Object.keys(api.paths)).toEqual(
      expect.arrayContaining(['/v1/detect', '/v1/report', '/healthz', '/readyz', '/metrics']),
    );
    const detectOp = api.paths['/v1/detect'].post;
    expect(detectOp.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['min_face', 'thresholds', 'border', 'preset', 'box_format', 'stats']),
    );
    expect(Object.keys(detectOp.requestBody?.content ?? {})).toEqual(
      expect.arrayContaining(['image/jpeg', 'multipart/form-data']),
    );
    const report = await post(base, '/v1/report', form(bytes.get('ivan.jpg')!));
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(report.body as string).toMatch(/^<!doctype html>/);
    const badReport = await post(base, '/v1/report?stats=true', bytes.get('ivan.jpg')!);
    expect([badReport.status, badReport.body]).toEqual([
      400,
      { error: { code: 'INVALID_OPTION', message: expect.stringContaining('stats') } },
    ]);
    const nowhere = await fetch(`${base}/v1/nothing`);
    expect([nowhere.status, await nowhere.json()]).toEqual([
      404,
      { error: { code: 'NOT_FOUND', message: expect.any(String) } },
    ]);
  });
});

describe('time limit and readiness', () => {
  it('answers 504 TIMEOUT when the detection outlasts --timeout-ms, and goes on answering', async () => {
    const server = await createServer({ workers: 1, timeoutMs: 1, logger: false });
    try {
      const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const big = await sharp(SAMPLE).resize(1920).jpeg().toBuffer(); // far more than 1 ms of work
      for (let k = 0; k < 2; k++) {
        const a = await post(base, '/v1/detect', big, 'image/jpeg');
        expect([a.status, a.body]).toEqual([
          504,
          { error: { code: 'TIMEOUT', message: expect.stringContaining('1 ms') } },
        ]);
      }
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metricValue(metrics, 'mtcnn_detections_total', 'outcome="ABORTED"')).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('/readyz is 503 while the queue has no room, 200 again after', async () => {
    const server = await createServer({ workers: 1, queueSize: 0, logger: false });
    try {
      const big = await sharp(SAMPLE).resize(1920).jpeg().toBuffer();
      const running = server.app.inject({
        method: 'POST',
        url: '/v1/detect',
        payload: big,
        headers: { 'content-type': 'image/jpeg' },
      });
      while (server.pool.stats().busy === 0) await new Promise((r) => setTimeout(r, 5));
      const busy = await server.app.inject({ method: 'GET', url: '/readyz' });
      expect([busy.statusCode, busy.json().status]).toEqual([503, 'busy']);
      expect((await running).statusCode).toBe(200);
      expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses bad server options with INVALID_OPTION before starting workers', async () => {
    await expect(createServer({ workers: 0 })).rejects.toThrow(/--workers must be a whole number from 1/);
    await expect(createServer({ backend: 'gpu' })).rejects.toThrow(/--backend must be one of/);
    await expect(createServer({ detector: { minFaceSize: 2 } })).rejects.toThrow(/minFaceSize/);
    await expect(createServer({ maxBytes: 0 })).rejects.toThrow(/--max-bytes/);
  });
});
