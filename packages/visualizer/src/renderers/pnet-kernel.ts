import { pointer, range, select, timer as d3timer, type Timer } from 'd3';
import type { LevelTrace, PNetCandidateTrace, StageTrace } from '@mtcnn/core';
import { PNET } from '@mtcnn/models';
import { COLORS, heatColor, levelColor } from '../colors.js';
import { cellAt, f32Scale, kernelImageBox, kernelLevelBox, mappingTerms, STRIDE, WINDOW } from '../geometry.js';
import { attachZoom, type ViewTools } from '../interact.js';
import { bestFacePath, fmt, type VizInput } from '../model.js';
import { heatDataUrl, levelPicture, whenReady } from '../raster.js';
import { boxRect, chips, figure, imageView, panelHeader, type Any, type Container } from '../view.js';
import { networkDiagram } from './network.js';

export interface PNetKernelState {
  /** Pyramid level shown (default: the level of the selected face's window). */
  level?: number;
  /** Current cell `[x, y]` of that level's map (default: the selected face's window). */
  cell?: [number, number];
  playing?: boolean;
  /** Sweep speed: a whole level in this many seconds, or `slow` (a few windows per second, to read the numbers). */
  speed?: SweepSpeed;
  /** Heat map opacity, 0..1. */
  heat?: number;
  /** Cells of the heat map drawn so far while a sweep builds it (undefined: the whole map). */
  built?: number;
  /** The level view's own zoom. */
  zoom?: ViewTools['zoom'];
}

export type SweepSpeed = 'slow' | 60 | 20 | 5;
/** Windows per second in the slow mode. */
export const SLOW_RATE = 4;

export const PNET_TITLE = '2 · P-Net: a 12×12 window slides over each level';
export const PNET_CAPTION =
  'P-Net is fully convolutional: running it on a whole level is the same as sliding a 12×12 ' +
  'window over it, 2 px at a time, and scoring each window. Each output cell holds two ' +
  'answers for its window: P(face), and 4 offsets that would move the box onto the face.';

/**
 * The level that produced the most confident final face (or the box that got furthest), else the one with the highest
 * P-Net score.
 */
export function defaultLevel(trace: StageTrace): number {
  const { pnet } = bestFacePath(trace);
  if (pnet) return pnet.level;
  let bestLevel = 0;
  let bestP = -1;
  for (const l of trace.pyramid) {
    for (const p of l.prob) if (p > bestP) [bestP, bestLevel] = [p, l.index];
  }
  return bestLevel;
}

function argmaxCell(l: LevelTrace): [number, number] {
  let bi = 0;
  for (let i = 1; i < l.prob.length; i++) if (l.prob[i] > l.prob[bi]) bi = i;
  return [bi % l.mapWidth, Math.floor(bi / l.mapWidth)];
}

/** Cells per millisecond of a sweep at `speed` over `total` cells. */
export function sweepRate(speed: SweepSpeed, total: number): number {
  return speed === 'slow' ? SLOW_RATE / 1000 : total / (speed * 1000);
}

let clipIds = 0;

/**
 * One level with the kernel window, the heat map centred on each window (cell (x, y) drawn at
 * level pixels [2x+5, 2x+7): the middle of [2x, 2x+12)), the network that computes it, the
 * outputs of the current window (P, and the offsets as arrows with the regressed box) and that
 * window mapped to the image with the core's formula and its numbers.
 */
export function pnetKernelRenderer(sel: Container, input: VizInput, state: PNetKernelState = {}): void {
  const { trace, image } = input;
  sel.html('');
  panelHeader(sel, PNET_TITLE, PNET_CAPTION);
  if (trace.pyramid.length === 0) {
    sel.append('p').attr('class', 'empty').text('No pyramid level: the image is smaller than the minimum face size.');
    return;
  }
  const focus = input.link?.lineage?.pnet;
  if (state.level === undefined || !trace.pyramid[state.level]) {
    state.level = focus?.level ?? defaultLevel(trace);
    state.cell = undefined;
    state.built = undefined;
  }
  const level = trace.pyramid[state.level];
  const total = level.mapWidth * level.mapHeight;
  if (!state.cell || state.cell[0] >= level.mapWidth || state.cell[1] >= level.mapHeight)
    state.cell = focus && focus.level === level.index ? [focus.cell[0], focus.cell[1]] : argmaxCell(level);
  state.speed ??= 20;
  state.heat ??= 0.85;
  state.zoom ??= { k: 1, x: 0, y: 0 };
  const thr = trace.options.thresholds[0];
  const byCell = new Map<number, PNetCandidateTrace>();
  for (const c of trace.pnet.candidates)
    if (c.level === level.index) byCell.set(c.cell[1] * level.mapWidth + c.cell[0], c);

  const controls = sel.append('div').attr('class', 'controls');
  chips(
    controls,
    'Level',
    trace.pyramid.map((l) => ({
      value: l.index,
      text: `L${l.index}`,
      title: `scale ${l.scale}, ${l.width}×${l.height} px, ${l.candidates} windows ≥ ${thr}`,
      color: levelColor(l.index),
    })),
    level.index,
    (v) => {
      stop();
      state.level = v;
      state.cell = undefined;
      state.built = undefined;
      state.zoom = undefined;
      pnetKernelRenderer(sel, input, state);
    },
  );
  const player = controls.append('div').attr('class', 'player').attr('role', 'group').attr('aria-label', 'Sweep');
  const playBtn = player
    .append('button')
    .attr('type', 'button')
    .attr('class', 'play')
    .attr('data-focus-key', 'pnet-play');
  const stepBtn = player
    .append('button')
    .attr('type', 'button')
    .attr('class', 'step')
    .attr('title', 'Move the window one stride (2 px)')
    .text('Step ▸');
  const restartBtn = player
    .append('button')
    .attr('type', 'button')
    .attr('class', 'restart')
    .attr('title', 'Clear the heat map and sweep from the first window')
    .text('⟲ From the start');
  chips(
    player as unknown as Container,
    'Speed',
    [
      { value: 'slow' as const, text: `${SLOW_RATE} windows/s`, title: 'Slow enough to read each window' },
      { value: 60 as const, text: '60 s', title: 'The whole level in a minute' },
      { value: 20 as const, text: '20 s', title: 'The whole level in 20 seconds' },
      { value: 5 as const, text: '5 s', title: 'The whole level in 5 seconds' },
    ],
    state.speed,
    (v) => {
      state.speed = v;
      player.selectAll('.chip').attr('aria-pressed', function () {
        return String((this as HTMLElement).dataset.value === String(v));
      });
      if (state.playing) {
        stop();
        play();
      }
    },
  );
  const heatCtl = controls.append('label').attr('class', 'heat-ctl');
  heatCtl.append('span').text('Heat map');
  heatCtl
    .append('input')
    .attr('type', 'range')
    .attr('min', 0)
    .attr('max', 1)
    .attr('step', 0.05)
    .attr('value', state.heat)
    .attr('aria-label', 'Heat map opacity')
    .on('input', function () {
      state.heat = Number((this as HTMLInputElement).value);
      heat.attr('opacity', state.heat);
    });
  const grad = range(0, 1.001, 0.1)
    .map((t) => `${heatColor(t)} ${t * 100}%`)
    .join(', ');
  const scaleBar = controls
    .append('div')
    .attr('class', 'heat-scale')
    .attr('title', `P(face); the threshold ${thr} is marked`);
  scaleBar.append('span').text('P 0');
  scaleBar
    .append('span')
    .attr('class', 'bar')
    .style('background', `linear-gradient(90deg, ${grad})`)
    .append('i')
    .style('left', `${thr * 100}%`);
  scaleBar.append('span').text('1');

  const views = sel.append('div').attr('class', 'views pnet');
  const lsvg = figure(
    views,
    'level-view',
    `Level ${level.index} (×${fmt.scale(level.scale)}, ${level.width}×${level.height} px) ` +
      `with P-Net's probability map (${level.mapWidth}×${level.mapHeight} windows).`,
    [-2, -2, level.width + 4, level.height + 4],
  );
  lsvg.attr('aria-label', 'Level view: arrow keys move the window');
  const lzoom = lsvg.append('g').attr('class', 'zoom');
  // The level's exact pixels when made (raster.ts); meanwhile the image, scaled by the browser.
  const levelPic = levelPicture(
    image.rgb,
    level.width,
    level.height,
    input.pictures?.levels[`${level.width}x${level.height}`],
  );
  const levelImg = lzoom
    .append('image')
    .attr('class', 'pixels')
    .attr('href', image.href)
    .attr('width', level.width)
    .attr('height', level.height)
    .attr('preserveAspectRatio', 'none')
    .style('image-rendering', 'pixelated');
  // Cell (x, y) covers [2x, 2x+12): draw its probability at the window's centre, 2 px per cell.
  const clipId = `heat-built-${++clipIds}`;
  const clip = lsvg.append('defs').append('clipPath').attr('id', clipId);
  const clipRows = clip
    .append('rect')
    .attr('class', 'rows')
    .attr('x', WINDOW / 2 - STRIDE / 2);
  const clipRow = clip
    .append('rect')
    .attr('class', 'row')
    .attr('x', WINDOW / 2 - STRIDE / 2)
    .attr('height', STRIDE);
  const heat = lzoom
    .append('image')
    .attr('class', 'heat')
    .attr('href', heatDataUrl(level) ?? '')
    .attr('x', WINDOW / 2 - STRIDE / 2)
    .attr('y', WINDOW / 2 - STRIDE / 2)
    .attr('width', level.mapWidth * STRIDE)
    .attr('height', level.mapHeight * STRIDE)
    .attr('opacity', state.heat)
    .attr('preserveAspectRatio', 'none')
    .style('image-rendering', 'pixelated');
  lzoom
    .append('rect')
    .attr('width', level.width)
    .attr('height', level.height)
    .attr('fill', 'none')
    .attr('stroke', levelColor(level.index))
    .attr('stroke-width', 2)
    .attr('vector-effect', 'non-scaling-stroke');
  const levelReg = boxRect(lzoom, [0, 0, 0, 0], 'level-regressed', COLORS.regressed, 2);
  const kernel = boxRect(lzoom, kernelLevelBox(state.cell), 'kernel', COLORS.kernel, 2.5);
  const cellMark = lzoom
    .append('rect')
    .attr('class', 'cell')
    .attr('width', STRIDE)
    .attr('height', STRIDE)
    .attr('fill', 'none')
    .attr('stroke', '#fff')
    .attr('stroke-width', 1.5)
    .attr('vector-effect', 'non-scaling-stroke');
  attachZoom(select(lsvg.node()!.parentElement!) as Container, lsvg, lzoom, { zoom: state.zoom, drag: 'pan' }, [
    [-2, -2],
    [level.width + 2, level.height + 2],
  ]);

  const side = views.append('div').attr('class', 'pnet-side');
  const zsvg = figure(side, 'window-view', 'What P-Net sees: the 12×12 window, enlarged.', [0, 0, WINDOW, WINDOW]);
  zsvg.attr('class', 'viz window-zoom');
  whenReady(levelImg, levelPic);
  const zimg = zsvg
    .append('image')
    .attr('href', image.href)
    .attr('width', level.width)
    .attr('height', level.height)
    .attr('preserveAspectRatio', 'none')
    .style('image-rendering', 'pixelated');
  whenReady(zimg, levelPic);
  range(1, WINDOW).forEach((i) => {
    zsvg
      .append('line')
      .attr('x1', i)
      .attr('x2', i)
      .attr('y1', 0)
      .attr('y2', WINDOW)
      .attr('stroke', 'rgba(255,255,255,0.25)')
      .attr('stroke-width', 0.03);
    zsvg
      .append('line')
      .attr('y1', i)
      .attr('y2', i)
      .attr('x1', 0)
      .attr('x2', WINDOW)
      .attr('stroke', 'rgba(255,255,255,0.25)')
      .attr('stroke-width', 0.03);
  });
  zsvg
    .append('rect')
    .attr('width', WINDOW)
    .attr('height', WINDOW)
    .attr('fill', 'none')
    .attr('stroke', COLORS.kernel)
    .attr('stroke-width', 0.25);
  const out = outputsView(side);
  const net = networkDiagram(
    side,
    PNET,
    `P-Net for one 12×12 window: the 1×1 output is that window's answer. On ` +
      `this level the same layers turn ${level.width}×${level.height}×3 into ` +
      `a ${level.mapWidth}×${level.mapHeight} map: one answer per window.`,
  );

  const iv = imageView(
    views,
    input,
    'image-view',
    'The same window in the original image (the formula below), and where its offsets move it.',
  );
  const imgKernel = boxRect(iv.layer, kernelImageBox(level, state.cell), 'kernel-image', COLORS.kernel, 2.5);
  const imgReg = boxRect(iv.layer, [0, 0, 0, 0], 'kernel-regressed', COLORS.regressed, 2.5);
  const arrows = iv.layer.append('g').attr('class', 'offset-arrows');

  const info = sel.append('div').attr('class', 'details kernel-info').attr('aria-live', 'polite');

  const reveal = (): void => {
    if (state.built === undefined || state.built >= total) {
      heat.attr('clip-path', null);
      return;
    }
    const full = Math.floor(state.built / level.mapWidth);
    const part = state.built % level.mapWidth;
    clipRows
      .attr('y', WINDOW / 2 - STRIDE / 2)
      .attr('width', level.mapWidth * STRIDE)
      .attr('height', full * STRIDE);
    clipRow.attr('y', WINDOW / 2 - STRIDE / 2 + full * STRIDE).attr('width', part * STRIDE);
    heat.attr('clip-path', `url(#${clipId})`);
  };

  const setCell = (cell: [number, number]): void => {
    state.cell = cell;
    const lb = kernelLevelBox(cell);
    kernel.attr('x', lb[0]).attr('y', lb[1]);
    cellMark.attr('x', lb[0] + WINDOW / 2 - STRIDE / 2).attr('y', lb[1] + WINDOW / 2 - STRIDE / 2);
    zimg.attr('x', -lb[0]).attr('y', -lb[1]);
    const ib = kernelImageBox(level, cell);
    setRect(imgKernel, ib);
    const i = cell[1] * level.mapWidth + cell[0];
    const p = level.prob[i];
    const cand = byCell.get(i);
    const pass = Math.fround(p) >= Math.fround(thr);
    arrows.html('');
    if (cand) {
      setRect(imgReg, cand.regressed).attr('display', null);
      drawOffsetArrows(arrows, cand.box, cand.regressed);
      const s = level.scale;
      setRect(levelReg, [
        cand.regressed[0] * s,
        cand.regressed[1] * s,
        cand.regressed[2] * s,
        cand.regressed[3] * s,
      ]).attr('display', null);
    } else {
      imgReg.attr('display', 'none');
      levelReg.attr('display', 'none');
    }
    out.show(p, thr, cand);
    info.html('');
    const line = (label: string, text: string, cls = ''): void => {
      const d = info.append('div').attr('class', `kv ${cls}`);
      d.append('span').attr('class', 'k').text(label);
      d.append('span').attr('class', 'v').text(text);
    };
    line(
      'window',
      `cell (${cell[0]}, ${cell[1]}) of the ${level.mapWidth}×${level.mapHeight} ` +
        `map: level pixels ${fmt.box(lb)} (x from 2·${cell[0]}, 12 px wide)`,
    );
    line(
      'P(face)',
      `${fmt.scoreLong(p, cand?.logit)} ${pass ? '≥' : '<'} ${thr}: ${pass ? `a candidate (#${cand?.id})` : 'dropped'}`,
      pass ? 'pass' : 'fail',
    );
    const t = mappingTerms(level, cell);
    line(
      'to the image',
      `x1 = ⌊(2x + 1) / s⌋ = ⌊${t.x1.num} / ${t.s}⌋ = ⌊${t.x1.q}⌋ = ${ib[0]},  x2 ` +
        `= ⌊(2x + 12) / s⌋ = ⌊${t.x2.num} / ${t.s}⌋ = ⌊${t.x2.q}⌋ = ${ib[2]}`,
    );
    line(
      '',
      `y1 = ⌊(2y + 1) / s⌋ = ⌊${t.y1.num} / ${t.s}⌋ = ⌊${t.y1.q}⌋ = ${ib[1]},  y2 = ⌊(2y + ` +
        `12) / s⌋ = ⌊${t.y2.num} / ${t.s}⌋ = ⌊${t.y2.q}⌋ = ${ib[3]}  → ${fmt.box(ib)}`,
    );
    if (cand)
      line(
        'offsets',
        `dx1 ${cand.offsets[0].toFixed(3)}, dy1 ${cand.offsets[1].toFixed(3)}, ` +
          `dx2 ${cand.offsets[2].toFixed(3)}, dy2 ${cand.offsets[3].toFixed(3)} × the ` +
          `box's width / height → ${fmt.box(cand.regressed)} (applied after NMS)`,
      );
    else line('offsets', `not in the trace: the core keeps P-Net's offsets only for windows with P ≥ ${thr}`);
  };
  sel
    .append('p')
    .attr('class', 'surprise')
    .text(
      `Why "2x + 1": the window covers level pixels 2x … 2x+11, but the reference maps it ` +
        `back from 2x + 1 (the original MATLAB code counted from 1), so the box starts one ` +
        `level pixel late and is 11 / s wide. The core keeps the quirk so that its boxes ` +
        `are the reference's; s is the float32 scale ${f32Scale(level.scale)}.`,
    );
  setCell(state.cell);
  reveal();

  let timer: Timer | undefined;
  let pulse: Timer | undefined;
  const stop = (): void => {
    timer?.stop();
    pulse?.stop();
    timer = undefined;
    pulse = undefined;
    state.playing = false;
    playBtn
      .text(state.built !== undefined && state.built < total ? 'Play ▶ (continue)' : 'Play ▶')
      .attr('aria-pressed', 'false');
    net.setActive('heads');
  };
  const play = (): void => {
    if (state.built === undefined || state.built >= total) {
      // A fresh sweep: the map is drawn as the window goes.
      state.built = 0;
      setCell([0, 0]);
      reveal();
    }
    state.playing = true;
    playBtn.text('Pause ❚❚').attr('aria-pressed', 'true');
    const start = state.cell![1] * level.mapWidth + state.cell![0];
    const rate = sweepRate(state.speed!, total);
    const layers = PNET.trunk.length + 1;
    timer = d3timer((elapsed) => {
      if (!lsvg.node()!.isConnected) return stop();
      const i = Math.min(total - 1, start + Math.floor(elapsed * rate));
      setCell([i % level.mapWidth, Math.floor(i / level.mapWidth)]);
      state.built = i + 1;
      reveal();
      if (i >= total - 1) {
        state.built = undefined;
        reveal();
        stop();
      }
    });
    // The network diagram lights its layers in turn while the sweep runs.
    pulse = d3timer((elapsed) => {
      const k = Math.floor(elapsed / 110) % layers;
      net.setActive(k === layers - 1 ? 'heads' : k);
    });
  };
  const advance = (n: number): void => {
    const i = (state.cell![1] * level.mapWidth + state.cell![0] + n) % total;
    setCell([i % level.mapWidth, Math.floor(i / level.mapWidth)]);
    if (state.built !== undefined) {
      state.built = Math.max(state.built, i + 1);
      reveal();
    }
  };
  playBtn.on('click', () => (state.playing ? stop() : play()));
  stepBtn.on('click', () => {
    stop();
    advance(1);
    net.pulse(40);
  });
  restartBtn.on('click', () => {
    stop();
    state.built = 0;
    setCell([0, 0]);
    reveal();
    play();
  });
  if (state.playing) play();
  else stop();

  lsvg.on('pointermove pointerdown', (event: PointerEvent) => {
    if (event.buttons > 0 && event.type === 'pointermove') return; // panning
    const [px, py] = pointer(event, lzoom.node());
    if (state.playing) stop();
    setCell(cellAt(level, px, py));
  });
  lsvg.attr('tabindex', 0).on('keydown', (event: KeyboardEvent) => {
    const d: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const m = d[event.key];
    if (!m) return;
    event.preventDefault();
    event.stopPropagation();
    stop();
    const c = state.cell!;
    setCell([
      Math.max(0, Math.min(level.mapWidth - 1, c[0] + m[0])),
      Math.max(0, Math.min(level.mapHeight - 1, c[1] + m[1])),
    ]);
  });
}

function setRect(r: Any, b: readonly number[]): Any {
  return r
    .attr('x', b[0])
    .attr('y', b[1])
    .attr('width', Math.max(0, b[2] - b[0]))
    .attr('height', Math.max(0, b[3] - b[1]));
}

/** Four arrows from the window's edges to the regressed box's edges (the offsets, scaled by the window size). */
export function drawOffsetArrows(g: Any, from: readonly number[], to: readonly number[]): void {
  const cx = (from[0] + from[2]) / 2;
  const cy = (from[1] + from[3]) / 2;
  const segs: Array<[number, number, number, number, string]> = [
    [from[0], cy, to[0], cy, 'dx1'],
    [cx, from[1], cx, to[1], 'dy1'],
    [from[2], cy, to[2], cy, 'dx2'],
    [cx, from[3], cx, to[3], 'dy2'],
  ];
  for (const [x1, y1, x2, y2, name] of segs) {
    g.append('line')
      .attr('class', `offset-arrow ${name}`)
      .attr('x1', x1)
      .attr('y1', y1)
      .attr('x2', x2)
      .attr('y2', y2)
      .attr('stroke', COLORS.regressed)
      .attr('stroke-width', 2.5)
      .attr('vector-effect', 'non-scaling-stroke');
    const len = Math.hypot(x2 - x1, y2 - y1);
    if (len < 1e-6) continue;
    const ux = (x2 - x1) / len;
    const uy = (y2 - y1) / len;
    const a = Math.min(len, Math.max(2, (from[2] - from[0]) * 0.06));
    g.append('path')
      .attr('class', 'arrow-head')
      .attr(
        'd',
        `M${x2},${y2} L${x2 - ux * a - uy * a * 0.6},${y2 - uy * a + ux * a * 0.6} ` +
          `L${x2 - ux * a + uy * a * 0.6},${y2 - uy * a - ux * a * 0.6} Z`,
      )
      .attr('fill', COLORS.regressed);
  }
}

/** The two outputs of the current window: P against the threshold, and the 4 offsets as arrows on a unit box. */
function outputsView(parent: Container): { show: (p: number, thr: number, cand?: PNetCandidateTrace) => void } {
  const svg = figure(parent, 'outputs-view', "This window's outputs: P(face) and the 4 box offsets.", [0, 0, 220, 150]);
  const font = 'system-ui, sans-serif';
  svg.append('text').attr('x', 6).attr('y', 14).attr('font-size', 11).attr('font-family', font).text('P(face)');
  svg
    .append('rect')
    .attr('x', 6)
    .attr('y', 20)
    .attr('width', 208)
    .attr('height', 12)
    .attr('fill', '#e5e7eb')
    .attr('rx', 3);
  const bar = svg.append('rect').attr('class', 'p-bar').attr('x', 6).attr('y', 20).attr('height', 12).attr('rx', 3);
  const mark = svg.append('line').attr('y1', 17).attr('y2', 35).attr('stroke', COLORS.ink).attr('stroke-width', 1.5);
  const pText = svg
    .append('text')
    .attr('class', 'p-value')
    .attr('x', 214)
    .attr('y', 14)
    .attr('text-anchor', 'end')
    .attr('font-size', 11)
    .attr('font-weight', 700)
    .attr('font-family', font);
  svg
    .append('text')
    .attr('x', 6)
    .attr('y', 52)
    .attr('font-size', 11)
    .attr('font-family', font)
    .text('offsets (dx1, dy1, dx2, dy2)');
  // A unit box 60x60 at (80, 62): the regressed box drawn from its offsets, arrows on each edge.
  const ox = 80;
  const oy = 62;
  const u = 60;
  const g = svg.append('g').attr('class', 'offsets');
  const none = svg
    .append('text')
    .attr('x', 110)
    .attr('y', 100)
    .attr('text-anchor', 'middle')
    .attr('font-size', 10.5)
    .attr('font-family', font)
    .attr('fill', COLORS.muted);
  return {
    show(p, thr, cand) {
      bar.attr('width', 208 * Math.max(0, Math.min(1, p))).attr('fill', p >= thr ? COLORS.kept : COLORS.rejected);
      mark.attr('x1', 6 + 208 * thr).attr('x2', 6 + 208 * thr);
      pText.text(fmt.score(p));
      g.html('');
      none.text('');
      if (!cand) {
        none.text(`kept only for P ≥ ${thr}`);
        return;
      }
      const [d1, d2, d3, d4] = cand.offsets;
      const from = [ox, oy, ox + u, oy + u];
      const to = [ox + d1 * u, oy + d2 * u, ox + u + d3 * u, oy + u + d4 * u];
      boxRect(g, from, 'unit-window', COLORS.kernel, 1.5, '3 2');
      boxRect(g, to, 'unit-regressed', COLORS.regressed, 1.5);
      drawOffsetArrows(g, from, to);
      g.append('text')
        .attr('x', 4)
        .attr('y', 144)
        .attr('font-size', 10)
        .attr('font-family', font)
        .attr('fill', COLORS.muted)
        .text(`${d1.toFixed(2)}, ${d2.toFixed(2)}, ${d3.toFixed(2)}, ${d4.toFixed(2)}`);
    },
  };
}
