import { interval, pointer, range, type Timer } from 'd3';
import type { LevelTrace, StageTrace } from '@mtcnn/core';
import { COLORS, heatColor, levelColor } from '../colors.js';
import { kernelImageBox, kernelLevelBox, cellAt, STRIDE, WINDOW } from '../geometry.js';
import { bestFacePath, fmt, type VizInput } from '../model.js';
import { heatDataUrl, levelDataUrl } from '../raster.js';
import { boxRect, chips, figure, imageView, panelHeader, type Container } from '../view.js';

export interface PNetKernelState {
  /** Pyramid level shown (default: the level that found the best face). */
  level?: number;
  /** Current cell `[x, y]` of that level's map (default: its most face-like cell). */
  cell?: [number, number];
  playing?: boolean;
  /** Cells advanced per animation tick. */
  speed?: number;
  /** Heat map opacity, 0..1. */
  heat?: number;
}

export const PNET_TITLE = '2 · P-Net: a 12×12 window slides over each level';
export const PNET_CAPTION =
  'P-Net is a small convolutional net that scores every 12×12 window, moving 2 px at a time; the heat map is its face probability per window.';

/** The level that produced the most confident final face (through the trace's source ids), else the one with the highest P-Net score. */
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

/**
 * One level with the kernel window, the heat map centred on each window (cell (x, y) drawn at
 * level pixels [2x+5, 2x+7): the middle of [2x, 2x+12)), and that window mapped to the image.
 */
export function pnetKernelRenderer(sel: Container, input: VizInput, state: PNetKernelState = {}): void {
  const { trace, image } = input;
  sel.html('');
  panelHeader(sel, PNET_TITLE, PNET_CAPTION);
  if (trace.pyramid.length === 0) {
    sel.append('p').attr('class', 'empty').text('No pyramid level: the image is smaller than the minimum face size.');
    return;
  }
  if (state.level === undefined || !trace.pyramid[state.level]) {
    state.level = defaultLevel(trace);
    state.cell = undefined;
  }
  const level = trace.pyramid[state.level];
  if (!state.cell || state.cell[0] >= level.mapWidth || state.cell[1] >= level.mapHeight)
    state.cell = argmaxCell(level);
  state.speed ??= 1;
  state.heat ??= 0.85;
  const thr = trace.options.thresholds[0];

  const controls = sel.append('div').attr('class', 'controls');
  chips(
    controls,
    'Level',
    trace.pyramid.map((l) => ({
      value: l.index,
      text: `L${l.index}`,
      title: `scale ${l.scale}, ${l.width}×${l.height} px`,
      color: levelColor(l.index),
    })),
    level.index,
    (v) => {
      stop();
      state.level = v;
      state.cell = undefined;
      pnetKernelRenderer(sel, input, state);
    },
  );
  const player = controls
    .append('div')
    .attr('class', 'player')
    .attr('role', 'group')
    .attr('aria-label', 'Kernel animation');
  const playBtn = player.append('button').attr('type', 'button').attr('class', 'play');
  const stepBtn = player
    .append('button')
    .attr('type', 'button')
    .attr('class', 'step')
    .attr('title', 'Move the window one stride (2 px)')
    .text('Step ▸');
  chips(
    player as unknown as Container,
    'Speed',
    [
      { value: 1, text: '1×', title: 'one window per tick' },
      { value: 8, text: '8×' },
      { value: 64, text: '64×' },
    ],
    state.speed,
    (v) => {
      state.speed = v;
      player.selectAll('.chip').attr('aria-pressed', function () {
        return String((this as HTMLElement).dataset.value === String(v));
      });
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
  scaleBar.append('span').text('0');
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
    `Level ${level.index} (×${fmt.scale(level.scale)}, ${level.width}×${level.height} px) with P-Net's probability map. Hover or tap to move the window.`,
    [-2, -2, level.width + 4, level.height + 4],
  );
  lsvg.attr('tabindex', 0).attr('aria-label', 'Level view: arrow keys move the window');
  const levelHref = levelDataUrl(image.rgb, level.width, level.height);
  lsvg
    .append('image')
    .attr('class', 'pixels')
    .attr('href', levelHref ?? image.href)
    .attr('width', level.width)
    .attr('height', level.height)
    .attr('preserveAspectRatio', 'none')
    .style('image-rendering', 'pixelated');
  // Cell (x, y) covers [2x, 2x+12): draw its probability at the window's centre, 2 px per cell.
  const heat = lsvg
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
  lsvg
    .append('rect')
    .attr('width', level.width)
    .attr('height', level.height)
    .attr('fill', 'none')
    .attr('stroke', levelColor(level.index))
    .attr('stroke-width', 2)
    .attr('vector-effect', 'non-scaling-stroke');
  const kernel = boxRect(lsvg, kernelLevelBox(state.cell), 'kernel', COLORS.kernel, 2.5);
  const cellMark = lsvg
    .append('rect')
    .attr('class', 'cell')
    .attr('width', STRIDE)
    .attr('height', STRIDE)
    .attr('fill', 'none')
    .attr('stroke', '#fff')
    .attr('stroke-width', 1.5)
    .attr('vector-effect', 'non-scaling-stroke');

  const zsvg = figure(views, 'window-view', 'What P-Net sees: the 12×12 window, enlarged.', [0, 0, WINDOW, WINDOW]);
  zsvg.attr('class', 'viz window-zoom');
  const zimg = zsvg
    .append('image')
    .attr('href', levelHref ?? image.href)
    .attr('width', level.width)
    .attr('height', level.height)
    .attr('preserveAspectRatio', 'none')
    .style('image-rendering', 'pixelated');
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

  const iv = imageView(
    views,
    input,
    'image-view',
    'The same window in the original image: level pixels divided by the scale.',
  );
  const imgKernel = boxRect(iv.layer, kernelImageBox(level, state.cell), 'kernel-image', COLORS.kernel, 2.5);

  const info = sel.append('div').attr('class', 'details kernel-info').attr('aria-live', 'polite');

  const setCell = (cell: [number, number]): void => {
    state.cell = cell;
    const lb = kernelLevelBox(cell);
    kernel.attr('x', lb[0]).attr('y', lb[1]);
    cellMark.attr('x', lb[0] + WINDOW / 2 - STRIDE / 2).attr('y', lb[1] + WINDOW / 2 - STRIDE / 2);
    zimg.attr('x', -lb[0]).attr('y', -lb[1]);
    const ib = kernelImageBox(level, cell);
    imgKernel
      .attr('x', ib[0])
      .attr('y', ib[1])
      .attr('width', ib[2] - ib[0])
      .attr('height', ib[3] - ib[1]);
    const p = level.prob[cell[1] * level.mapWidth + cell[0]];
    const pass = Math.fround(p) >= Math.fround(thr);
    info.html('');
    const line = (label: string, text: string, cls = ''): void => {
      const d = info.append('div').attr('class', `kv ${cls}`);
      d.append('span').attr('class', 'k').text(label);
      d.append('span').attr('class', 'v').text(text);
    };
    line('cell', `(${cell[0]}, ${cell[1]}) of the ${level.mapWidth}×${level.mapHeight} map`);
    line(
      'P(face)',
      `${fmt.score(p)} ${pass ? '≥' : '<'} ${thr}: ${pass ? 'a candidate' : 'dropped'}`,
      pass ? 'pass' : 'fail',
    );
    line('in the level', `${fmt.box(lb)}  (x = 2·${cell[0]}, 12 px wide)`);
    line(
      '× 1/scale',
      `${fmt.box(ib)}  in the image: ÷ ${fmt.scale(level.scale)}, rounded down (${ib[2] - ib[0]} px wide)`,
    );
  };
  setCell(state.cell);

  let timer: Timer | undefined;
  const stop = (): void => {
    timer?.stop();
    timer = undefined;
    state.playing = false;
    playBtn.text('Play ▶').attr('aria-pressed', 'false');
  };
  const advance = (n: number): void => {
    const total = level.mapWidth * level.mapHeight;
    const i = (state.cell![1] * level.mapWidth + state.cell![0] + n) % total;
    setCell([i % level.mapWidth, Math.floor(i / level.mapWidth)]);
  };
  const play = (): void => {
    state.playing = true;
    playBtn.text('Pause ❚❚').attr('aria-pressed', 'true');
    timer = interval(() => {
      if (!lsvg.node()!.isConnected) return stop();
      advance(state.speed!);
    }, 80);
  };
  playBtn.on('click', () => (state.playing ? stop() : play()));
  stepBtn.on('click', () => {
    stop();
    advance(1);
  });
  if (state.playing) play();
  else stop();

  lsvg.on('pointermove pointerdown', (event: PointerEvent) => {
    const [px, py] = pointer(event, lsvg.node());
    if (state.playing) stop();
    setCell(cellAt(level, px, py));
  });
  lsvg.on('keydown', (event: KeyboardEvent) => {
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
