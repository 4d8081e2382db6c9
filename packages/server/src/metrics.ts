// Prometheus metrics (prom-client), one registry per server so that several servers in one
// process (tests, a library user's app) do not mix their counts.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DetectorPool, TaskResult } from '@mtcnn/runner';

export const STAGES = ['decode', 'pyramid', 'pnet', 'rnet', 'onet', 'total'] as const;

export interface ServerMetrics {
  registry: Registry;
  /** Count one answered request. */
  request(method: string, route: string, status: number): void;
  /** Record one detection's outcome, stage times and faces. */
  detection(result: TaskResult): void;
}

export function createMetrics(pool: DetectorPool): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // process_resident_memory_bytes, event loop lag, GC, ...
  const requests = new Counter({
    name: 'mtcnn_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'mtcnn_detection_seconds',
    help:
      'Seconds per image in each stage: decode, pyramid (resampling), ' +
      "pnet, rnet, onet, total (the detector's, without decode).",
    labelNames: ['stage'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'mtcnn_detections_total',
    help: 'Images through the detector, by outcome: ok or the error code (DECODE_FAILED, ABORTED, ...).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const faces = new Counter({ name: 'mtcnn_faces_total', help: 'Faces found.', registers: [registry] });
  new Gauge({
    name: 'mtcnn_queue_depth',
    help: 'Requests waiting for a detection worker.',
    registers: [registry],
    collect() {
      this.set(pool.stats().queued);
    },
  });
  new Gauge({
    name: 'mtcnn_workers_busy',
    help: 'Detection workers running a request.',
    registers: [registry],
    collect() {
      this.set(pool.stats().busy);
    },
  });
  new Gauge({
    name: 'mtcnn_workers',
    help: 'Detection worker threads.',
    registers: [registry],
    collect() {
      this.set(pool.stats().workers);
    },
  });
  let replacedSeen = 0;
  new Counter({
    name: 'mtcnn_worker_restarts_total',
    help: 'Detection workers that died (out of memory, a crash) and were replaced.',
    registers: [registry],
    collect() {
      const replaced = pool.stats().replaced;
      this.inc(replaced - replacedSeen);
      replacedSeen = replaced;
    },
  });

  return {
    registry,
    request(method, route, status) {
      requests.inc({ method, route, status: String(status) });
    },
    detection(result) {
      if ('error' in result) {
        outcomes.inc({ outcome: result.error.code });
        return;
      }
      outcomes.inc({ outcome: 'ok' });
      faces.inc(result.entry.faces.length);
      for (const stage of STAGES) seconds.observe({ stage }, result.timings[stage] / 1000);
    },
  };
}
