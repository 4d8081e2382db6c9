import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import { isMtcnnError, MtcnnError, resolveOptions, type DetectorOptions } from '@mtcnn/core';
import {
  DETECTOR_PARAMS,
  detectorOptionsFromParams,
  openPool,
  parseBoolean,
  type DetectorPool,
  type TaskResult,
  type TaskSuccess,
} from '@mtcnn/runner';
import { httpStatus, sendError } from './errors.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './options.js';
import { entrySchema, errorResponses, imageBodySchema, querySchema } from './schemas.js';

export interface MtcnnServer {
  /** The Fastify app: `app.listen({ port, host })`, `app.inject(...)`, more routes and hooks. */
  app: FastifyInstance;
  /** The detection workers (their stats feed /readyz and /metrics). */
  pool: DetectorPool;
  metrics: ServerMetrics;
  options: ResolvedServerOptions;
  /**
   * Stops accepting connections, lets the requests in flight finish (new requests on open
   * connections get 503), then stops the workers. Idempotent.
   */
  close(): Promise<void>;
}

const QUERY_NAMES = new Set([...DETECTOR_PARAMS.map((p) => p.name), 'stats']);

/**
 * The HTTP detection service: a Fastify app whose routes detect in a pool of worker threads.
 * Resolves once every worker has its detector (so the first request does not wait for models);
 * rejects with `INVALID_OPTION` for bad options, before any worker starts.
 */
export async function createServer(options: ServerOptions = {}): Promise<MtcnnServer> {
  const o = resolveServerOptions(options);
  const pool = await openPool({
    workers: o.workers,
    backend: o.backend,
    detector: o.detector,
    queueSize: o.queueSize,
    resourceLimits: o.resourceLimits,
  });
  const metrics = createMetrics(pool);
  let app: FastifyInstance;
  try {
    app = await buildApp(o, pool, metrics);
  } catch (e) {
    await pool.dispose();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    app,
    pool,
    metrics,
    options: o,
    close: () => {
      closing ??= app.close().then(() => undefined);
      return closing;
    },
  };
}

async function buildApp(
  o: ResolvedServerOptions,
  pool: DetectorPool,
  metrics: ServerMetrics,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger,
    bodyLimit: o.maxBytes,
    // Requests that arrive on an open connection while closing get 503 (Fastify's default, kept explicit).
    return503OnClosing: true,
  });
  // The route schemas document the API; values are checked by our own parsers (see schemas.ts).
  app.setValidatorCompiler(() => () => true);

  // Every body is image bytes (or a multipart form): no JSON or text parsing, and never a URL to fetch.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: o.maxBytes }, (_req, body, done) => done(null, body));
  await app.register(multipart, {
    // One file, a few small fields; the file as large as a raw body may be.
    limits: { fileSize: o.maxBytes, files: 1, fields: 16, fieldSize: 64 * 1024, parts: 20 },
    throwFileSizeLimit: true,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'mtcnn serve',
        description:
          'MTCNN face detection over HTTP. Send the image itself (raw body ' +
          'or multipart field `image`); the server never fetches URLs.',
        version: '1',
      },
    },
  });

  app.setErrorHandler((e, req, reply) => {
    if (isMtcnnError(e)) return sendError(reply, e.code, e.message);
    const err = e as Error & { statusCode?: number; code?: string };
    const status = err.statusCode ?? 500;
    if (status === 413)
      return sendError(
        reply,
        'BODY_TOO_LARGE',
        `The request body is over the server's limit of ${o.maxBytes} bytes (--max-bytes).`,
      );
    if (status >= 400 && status < 500) return sendError(reply, err.code ?? 'BAD_REQUEST', err.message, status);
    req.log.error(e);
    return sendError(reply, 'INTERNAL_ERROR', 'The server failed on this request; its log has the details.');
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 'NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}: see GET /openapi.json.`, 404),
  );
  app.addHook('onResponse', async (req, reply) => {
    metrics.request(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  app.addHook('onClose', async () => {
    await pool.close();
  });
  // Closing waits for every connection to end. Node closes the idle keep-alive connections at once,
  // but a connection whose request was in flight stayed open after its answer until the keep-alive
  // timeout (72 s): SIGTERM took 70 s to exit. Answers sent while closing end their connection.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  const detection = new Detection(o, pool, metrics);
  app.post(
    '/v1/detect',
    {
      schema: {
        summary: 'Detect faces',
        description:
          'The image as the raw body (image/jpeg, image/png, ..., application/octet-stream) or as the ' +
          'multipart/form-data field `image`. The answer is one entry of `mtcnn detect` JSON.',
        querystring: querySchema(true),
        body: imageBodySchema,
        response: { 200: { description: 'the faces, largest first', ...entrySchema }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await detection.run(req, reply, false);
      return r ? r.entry : reply; // reply: the error answer is sent
    },
  );
  app.post(
    '/v1/report',
    {
      schema: {
        summary: 'HTML report of every stage',
        description:
          'The self-contained HTML stage report of `mtcnn report` for the image ' +
          '(pyramid, P-Net map, candidates, NMS, R-Net, O-Net), offline.',
        querystring: querySchema(false),
        body: imageBodySchema,
        response: {
          200: { description: 'one HTML file', content: { 'text/html': { schema: { type: 'string' } } } },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const r = await detection.run(req, reply, true);
      if (!r) return reply; // the error answer is sent
      const html = r.report!;
      return reply.type('text/html; charset=utf-8').send(Buffer.from(html.buffer, html.byteOffset, html.byteLength));
    },
  );

  app.get('/healthz', { schema: { summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { summary: 'Models loaded and the queue has room (503 otherwise)' } },
    async (_req, reply) => {
      const ready = pool.accepting;
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'busy', ...pool.stats() });
    },
  );
  app.get('/metrics', { schema: { summary: 'Prometheus metrics' } }, async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}

/** One request's detection: options from the query, the image from the body, a worker, a time limit. */
class Detection {
  private averageMs = 500; // of recent detections: the 503's Retry-After

  constructor(
    private readonly o: ResolvedServerOptions,
    private readonly pool: DetectorPool,
    private readonly metrics: ServerMetrics,
  ) {}

  /**
   * The successful result, or `undefined` once an error answer is sent. Throws MtcnnErrors (the error handler answers).
   */
  async run(req: FastifyRequest, reply: FastifyReply, report: boolean): Promise<TaskSuccess | undefined> {
    const { options, stats } = this.queryOptions(req.query as Record<string, string | string[]>, report);
    const bytes = await this.image(req);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.o.timeoutMs);
    // The client went away: its detection is not needed any more.
    const gone = (): void => {
      if (!reply.raw.writableFinished) controller.abort();
    };
    reply.raw.once('close', gone);
    let result: TaskResult;
    const t0 = performance.now();
    try {
      result = await this.pool.submit(
        { source: { bytes }, options, stats, report: report ? { name: 'upload' } : undefined },
        { signal: controller.signal },
      );
    } catch (e) {
      if (isMtcnnError(e, 'QUEUE_FULL')) {
        reply.header('Retry-After', String(this.retryAfterSeconds()));
        sendError(reply, 'QUEUE_FULL', `The server is busy: ${e.message}`);
        return undefined;
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
    this.metrics.detection(result);
    if ('error' in result) {
      if (result.error.code === 'ABORTED' && timedOut) {
        sendError(
          reply,
          'TIMEOUT',
          `The detection took longer than the server's limit of ${this.o.timeoutMs} ms (--timeout-ms) and was stopped.`,
        );
        return undefined;
      }
      if (httpStatus(result.error.code) >= 500) req.log.warn({ error: result.error }, 'detection failed');
      sendError(reply, result.error.code, result.error.message);
      return undefined;
    }
    this.averageMs = 0.9 * this.averageMs + 0.1 * (performance.now() - t0);
    req.log.debug({ faces: result.entry.faces.length, ms: result.timings.total }, 'detected');
    return result;
  }

  /** Detector options of this request over the server's, validated; `INVALID_OPTION` names the parameter. */
  private queryOptions(
    query: Record<string, string | string[]>,
    report: boolean,
  ): { options: DetectorOptions | undefined; stats: boolean } {
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(query)) {
      if (!QUERY_NAMES.has(name) || (report && name === 'stats'))
        throw new MtcnnError(
          'INVALID_OPTION',
          `Unknown query parameter '${name}'; ` +
            `known: ${[...QUERY_NAMES].filter((n) => !report || n !== 'stats').join(', ')}.`,
        );
      if (Array.isArray(value))
        throw new MtcnnError('INVALID_OPTION', `Query parameter '${name}' is given more than once.`);
      params[name] = value;
    }
    const stats = params.stats !== undefined && parseBoolean('stats', params.stats);
    const asked = detectorOptionsFromParams(params);
    if (Object.keys(asked).length === 0) return { options: undefined, stats };
    try {
      resolveOptions({ ...this.o.detector, ...asked }); // range checks: INVALID_OPTION before any work
    } catch (e) {
      // The core names the option (minFaceSize ...): say which query parameter that is.
      const p = isMtcnnError(e) && DETECTOR_PARAMS.find((d) => e.message.startsWith(`${d.option} `));
      if (p) throw new MtcnnError('INVALID_OPTION', `${p.name}: ${(e as Error).message}`);
      throw e;
    }
    return { options: asked, stats };
  }

  /** The image bytes: the raw body, or the multipart field `image`. */
  private async image(req: FastifyRequest): Promise<Uint8Array> {
    if (req.isMultipart()) {
      const part = await req.file();
      if (!part)
        throw new MtcnnError('INVALID_IMAGE', 'The multipart form has no file: send the image in a field named image.');
      if (part.fieldname !== 'image') {
        part.file.resume(); // drain it
        throw new MtcnnError('INVALID_IMAGE', `The multipart file field is '${part.fieldname}'; name it image.`);
      }
      return await part.toBuffer();
    }
    const body = req.body;
    if (!(body instanceof Uint8Array) || body.length === 0)
      throw new MtcnnError(
        'DECODE_FAILED',
        'The request has no image: send its bytes as the body (Content-Type ' +
          'image/jpeg, image/png, ...) or as the multipart field image.',
      );
    return body;
  }

  /** Seconds until a worker is likely free for one more request: the queue ahead at the recent pace. */
  private retryAfterSeconds(): number {
    const s = this.pool.stats();
    return Math.max(1, Math.ceil(((s.queued + s.busy) * this.averageMs) / Math.max(1, s.workers) / 1000));
  }
}
