import '../styles.css';
import { levelSize, pyramidScales } from '@mtcnn/core/backend-kit';
import { select } from 'd3';
import { createViewer } from '../viewer.js';
import { BROWSER_BACKENDS, createBrowserBackend, type BrowserBackendId } from './backends.js';
import { buildControls } from './controls.js';
import { describeRun } from './describe-run.js';
import { defaultBackend, detectGpu, slowHint } from './pick-backend.js';
import { decodeImage, listenForImages, loadSample, SAMPLES, type LoadedImage } from './image-input.js';
import { DetectionSession } from './session.js';
import { WorkerDetectionSession } from './worker-session.js';

/**
 * The app: pick an image and a backend, move the options, and every stage of the cascade is
 * redrawn from the core's trace. The status line (with data-* attributes the browser tests
 * read) says what ran.
 */
const app = select('#app').attr('class', 'app');
const head = app.append('header').attr('class', 'app-head');
head.append('h1').html('MTCNN, <span>stage by stage</span>');
head
  .append('p')
  .attr('class', 'lede')
  .text(
    'Three small networks find faces in turn: P-Net scans a pyramid of the image, R-Net and ' +
      'O-Net re-check the best windows. Drop, pick or paste an image and follow every decision.',
  );

const bar = app.append('section').attr('class', 'source card');
const pick = bar.append('div').attr('class', 'pick');
const fileLabel = pick.append('label').attr('class', 'file button primary');
fileLabel.append('span').text('Open image…');
const fileInput = fileLabel.append('input').attr('type', 'file').attr('accept', 'image/*').attr('name', 'image');
const samples = pick.append('div').attr('class', 'samples');
samples.append('span').attr('class', 'muted').text('or a sample:');
for (const s of SAMPLES) {
  samples
    .append('button')
    .attr('type', 'button')
    .attr('class', 'button sample')
    .attr('data-sample', s.file)
    .text(s.label)
    .on('click', () => void useImage(() => loadSample(s.file)));
}
pick.append('span').attr('class', 'muted hint').text('You can also drop an image anywhere or paste one (Ctrl/⌘ V).');
const backendRow = bar.append('label').attr('class', 'backend');
backendRow.append('span').text('Backend');
const backendSelect = backendRow.append('select').attr('name', 'backend');
for (const b of BROWSER_BACKENDS) backendSelect.append('option').attr('value', b.id).text(b.label);
const backendWhy = backendRow.append('span').attr('class', 'backend-why');

// On a phone the options start folded, so the stages are on the first screen.
const wide = globalThis.matchMedia?.('(min-width: 700px)').matches ?? true;
const optionsBox = app
  .append('details')
  .attr('class', 'card options-box')
  .attr('open', wide ? '' : null);
optionsBox.append('summary').text('Options');
const params = new URLSearchParams(location.search);
const status = app
  .append('p')
  .attr('class', 'status')
  .attr('role', 'status')
  .attr('data-state', 'idle')
  .attr('data-runs', 0);
const viewerHost = app.append('div').attr('class', 'viewer-host');
const viewer = createViewer(viewerHost.node()!);
const foot = app.append('footer').attr('class', 'app-foot');
foot
  .append('span')
  .text('All numbers come from the detector’s own stage trace (@mtcnn/core); nothing is recomputed here.');

// Detection runs in a Web Worker, so the page stays responsive; ?worker=0 runs it on the page.
const inWorker = new URLSearchParams(location.search).get('worker') !== '0' && typeof Worker !== 'undefined';
const session = inWorker ? new WorkerDetectionSession() : new DetectionSession();
status.attr('data-worker', String(inWorker));
let runs = 0;
let loadedImage: LoadedImage | undefined;
// The default backend by capability: WebGL only with a real GPU (bug: 25-30 s per image in software).
const gpu = detectGpu();
const picked = defaultBackend(gpu);
let backendId: BrowserBackendId = picked.id;
let backendReady: Promise<void> | undefined;
status.attr('data-gpu', gpu.software ? 'software' : 'hardware').attr('data-default-backend', picked.id);

const controls = buildControls(optionsBox.node() as HTMLElement, () => void detect());

function setStatus(state: 'idle' | 'loading' | 'running' | 'done' | 'error', text: string): void {
  status.attr('data-state', state).text(text);
}

function showBackendWhy(): void {
  backendWhy.text(backendId === picked.id && !params.has('backend') ? picked.why : '');
}

async function ensureBackend(): Promise<void> {
  backendReady ??= (async () => {
    setStatus('loading', `Loading ${backendId} and the weights…`);
    if (session instanceof WorkerDetectionSession) await session.setBackend(backendId);
    else session.setBackend(await createBrowserBackend(backendId));
  })().catch((e: unknown) => {
    backendReady = undefined;
    throw e;
  });
  return backendReady;
}

/** Progress of the current run, from the networks' calls (the levels' sizes give "level k of n"). */
function progressText(p: { net: 'pnet' | 'rnet' | 'onet'; height?: number; width?: number; count?: number }): string {
  if (p.net === 'pnet' && loadedImage) {
    const o = controls.options();
    const scales = pyramidScales(
      loadedImage.rgb.height,
      loadedImage.rgb.width,
      o.minFaceSize ?? 20,
      o.scaleFactor ?? 0.709,
    );
    const k = scales.findIndex((sc) => {
      const l = levelSize(loadedImage!.rgb.height, loadedImage!.rgb.width, sc);
      return l.height === p.height && l.width === p.width;
    });
    return `P-Net on level ${k + 1} of ${scales.length} (${p.width}×${p.height})…`;
  }
  return `${p.net === 'rnet' ? 'R-Net' : 'O-Net'} on ${p.count} crop${p.count === 1 ? '' : 's'}…`;
}

let runStarted = 0;
let slowTimer: ReturnType<typeof setTimeout> | undefined;
session.onProgress = (p) => {
  const t = ((performance.now() - runStarted) / 1000).toFixed(1);
  status.attr('data-progress', p.net);
  setStatus('running', `Detecting on ${backendId}: ${progressText(p)} (${t} s)`);
  offerSwitch(slowHint(backendId, gpu, performance.now() - runStarted));
};

/** A hint to switch backends (with a button), shown while the current one is slow here. */
function offerSwitch(hint: string | undefined): void {
  if (!hint || backendId === 'onnx-wasm') return;
  status.attr('data-hint', 'switch');
  status.append('span').attr('class', 'slow-hint').text(` ${hint}`);
  status
    .append('button')
    .attr('type', 'button')
    .attr('class', 'switch')
    .text('Switch to ONNX Runtime · WebAssembly')
    .on('click', () => {
      backendSelect.property('value', 'onnx-wasm');
      backendSelect.dispatch('change');
    });
}

async function detect(): Promise<void> {
  if (!loadedImage) return;
  try {
    await ensureBackend();
    setStatus('running', `Detecting on ${backendId}…`);
    runStarted = performance.now();
    clearTimeout(slowTimer);
    // Still running after 5 s: say so, and offer the faster backend.
    slowTimer = setTimeout(() => offerSwitch(slowHint(backendId, gpu, 5000)), 5000);
    // Marks around the detection alone (drawing the stages comes after), for the browser tests.
    performance.mark('mtcnn-detect-start');
    const input = await session.run(controls.options());
    performance.mark('mtcnn-detect-end');
    clearTimeout(slowTimer);
    if (!input) return; // superseded by a newer run
    runs++;
    viewer.update(input);
    const nets = input.run!.networks!;
    status
      .attr('data-runs', runs)
      .attr('data-faces', input.trace.counts.faces)
      .attr('data-network-calls', session.networkCalls)
      .attr('data-backend', session.backendName ?? '');
    setStatus(
      'done',
      describeRun({
        ms: input.trace.timings.total,
        post: input.trace.timings.post ?? 0,
        faces: input.trace.counts.faces,
        backend: session.backendName,
        levels: input.trace.pyramid.length,
        minFaceSize: input.trace.options.minFaceSize,
        nets,
      }),
    );
    status.attr('data-hint', null);
    offerSwitch(slowHint(backendId, gpu, performance.now() - runStarted));
  } catch (e) {
    console.error(e);
    setStatus('error', `Error: ${(e as Error).message}`);
  }
}

async function useImage(load: () => Promise<LoadedImage>): Promise<void> {
  try {
    setStatus('loading', 'Decoding the image…');
    loadedImage = await load();
    session.setImage(loadedImage);
    await detect();
  } catch (e) {
    console.error(e);
    setStatus('error', `Error: ${(e as Error).message}`);
  }
}

fileInput.on('change', function () {
  const f = (this as HTMLInputElement).files?.[0];
  if (f) void useImage(() => decodeImage(f, f.name));
});
listenForImages(
  (f) => void useImage(() => decodeImage(f, f.name)),
  (over) => app.classed('dragging', over),
);
backendSelect.on('change', function () {
  backendId = (this as HTMLSelectElement).value as BrowserBackendId;
  backendReady = undefined;
  backendWhy.text('');
  void detect();
});

// ?backend=onnx-wasm&sample=camera.png preselects (used by links and the browser tests).
const wanted = params.get('backend');
if (wanted && BROWSER_BACKENDS.some((b) => b.id === wanted)) backendId = wanted as BrowserBackendId;
backendSelect.property('value', backendId);
showBackendWhy();
const sample = params.get('sample') ?? SAMPLES[0].file;
void useImage(() => loadSample(sample));
