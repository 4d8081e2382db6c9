import { trunkShapes, type ActivationShape, type Head, type NetworkSpec, type TrunkLayer } from '@mtcnn/models';
import { COLORS } from '../colors.js';
import { figure, type Any, type Container } from '../view.js';

/**
 * A network as a diagram, Netron-like, from `@mtcnn/models`' architecture data (the same
 * description the backends build their graphs from): the input, one node per trunk layer with
 * its kernel, channels and output shape, and the output heads side by side. `setActive` lights
 * one layer (as a stage plays) or the heads (the outputs of the current window or crop).
 */
export interface NetworkDiagram {
  /** Trunk layer index, 'input', 'heads', or null for none. */
  setActive(which: number | 'input' | 'heads' | null): void;
  /** Lights each layer in turn, input to heads, once (ms per layer); resolves at the heads. */
  pulse(msPerLayer?: number): void;
  /** Number of trunk layers (the data's `trunk.length`). */
  readonly layers: number;
}

const NAMES: Record<NetworkSpec['name'], string> = { pnet: 'P-Net', rnet: 'R-Net', onet: 'O-Net' };

function shapeText(s: ActivationShape): string {
  return s.kind === 'map' ? `${s.height}×${s.width}×${s.channels}` : `${s.features}`;
}

export function layerText(l: TrunkLayer): string {
  switch (l.kind) {
    case 'conv':
      return `conv ${l.kernel}×${l.kernel}, ${l.inChannels}→${l.outChannels}`;
    case 'prelu':
      return `PReLU (${l.channels})`;
    case 'maxpool':
      return `max pool ${l.size}×${l.size}, stride ${l.stride}`;
    case 'flatten':
      return 'flatten';
    case 'dense':
      return `dense ${l.inFeatures}→${l.outFeatures}`;
  }
}

function headText(h: Head): [string, string] {
  const l = h.layer;
  const op = l.kind === 'conv' ? `conv ${l.kernel}×${l.kernel}` : 'dense';
  const out = l.kind === 'conv' ? l.outChannels : l.outFeatures;
  if (h.output === 'prob') return [`${op} → ${out}`, 'softmax: P(face)'];
  if (h.output === 'reg') return [`${op} → ${out}`, '4 box offsets'];
  return [`${op} → ${out}`, '5 landmarks'];
}

const KIND_FILL: Record<TrunkLayer['kind'], string> = {
  conv: '#dbeafe',
  prelu: '#f3f4f6',
  maxpool: '#dcfce7',
  flatten: '#fef9c3',
  dense: '#ede9fe',
};

/**
 * Draws `net` for an input of `height` x `width` (default: its own input size; P-Net's window, 12).
 * `caption` goes under the figure.
 */
export function networkDiagram(
  parent: Container,
  net: NetworkSpec,
  caption: string,
  height = net.inputSize ?? 12,
  width = height,
): NetworkDiagram {
  const shapes = trunkShapes(net, height, width);
  const W = 300;
  const rowH = (l: TrunkLayer): number => (l.kind === 'prelu' || l.kind === 'flatten' ? 16 : 24);
  const gap = 6;
  const headH = 40;
  let y = 30;
  const rows: Array<{ y: number; h: number }> = net.trunk.map((l) => {
    const r = { y, h: rowH(l) };
    y += r.h + gap;
    return r;
  });
  const headsY = y + 10;
  const H = headsY + headH + 8;
  const svg = figure(parent, `network-view network-${net.name}`, caption, [0, 0, W, H]);
  svg
    .attr('data-net', net.name)
    .attr('role', 'img')
    .attr('aria-label', `${NAMES[net.name]}: ${net.trunk.length} layers, ${net.heads.length} output heads`);
  const nodes: Any[] = [];
  const font = 'system-ui, -apple-system, sans-serif';
  const node = (
    g: Any,
    x: number,
    yy: number,
    w: number,
    h: number,
    fill: string,
    left: string,
    right: string,
    cls: string,
  ): Any => {
    const n = g.append('g').attr('class', cls).attr('transform', `translate(${x},${yy})`);
    n.append('rect')
      .attr('class', 'node')
      .attr('width', w)
      .attr('height', h)
      .attr('rx', 5)
      .attr('fill', fill)
      .attr('stroke', '#9ca3af')
      .attr('stroke-width', 1);
    n.append('text')
      .attr('x', 7)
      .attr('y', h / 2 + 4)
      .attr('font-size', h < 20 ? 10 : 11.5)
      .attr('font-family', font)
      .attr('fill', COLORS.ink)
      .text(left);
    n.append('text')
      .attr('class', 'shape')
      .attr('x', w - 7)
      .attr('y', h / 2 + 4)
      .attr('text-anchor', 'end')
      .attr('font-size', h < 20 ? 10 : 11)
      .attr('font-family', font)
      .attr('fill', COLORS.muted)
      .text(right);
    return n;
  };
  const g = svg.append('g');
  // The spine: one line through every node, then a fork to the heads.
  g.append('line')
    .attr('x1', W / 2)
    .attr('x2', W / 2)
    .attr('y1', 12)
    .attr('y2', headsY - 10)
    .attr('stroke', '#9ca3af');
  const input = node(
    g,
    20,
    4,
    W - 40,
    20,
    '#fff7ed',
    `input ${net.inputSize ? `${net.inputSize}×${net.inputSize}` : `window ${height}×${width}`} RGB`,
    shapeText(shapes[0]),
    'input',
  );
  net.trunk.forEach((l, i) => {
    nodes.push(
      node(g, 20, rows[i].y, W - 40, rows[i].h, KIND_FILL[l.kind], layerText(l), shapeText(shapes[i + 1]), 'layer')
        .attr('data-kind', l.kind)
        .attr('data-index', i),
    );
  });
  const hw = (W - 16 - 6 * (net.heads.length - 1)) / net.heads.length;
  const heads: Any[] = net.heads.map((h, k) => {
    const x = 8 + k * (hw + 6);
    g.append('path')
      .attr('d', `M${W / 2},${headsY - 10} L${x + hw / 2},${headsY}`)
      .attr('stroke', '#9ca3af')
      .attr('fill', 'none');
    const [op, what] = headText(h);
    const n = g
      .append('g')
      .attr('class', 'head')
      .attr('data-output', h.output)
      .attr('transform', `translate(${x},${headsY})`);
    n.append('rect')
      .attr('class', 'node')
      .attr('width', hw)
      .attr('height', headH)
      .attr('rx', 5)
      .attr('fill', '#fee2e2')
      .attr('stroke', '#9ca3af');
    n.append('text')
      .attr('x', hw / 2)
      .attr('y', 16)
      .attr('text-anchor', 'middle')
      .attr('font-size', 10.5)
      .attr('font-family', font)
      .attr('fill', COLORS.ink)
      .text(op);
    n.append('text')
      .attr('x', hw / 2)
      .attr('y', 31)
      .attr('text-anchor', 'middle')
      .attr('font-size', 10.5)
      .attr('font-weight', 600)
      .attr('font-family', font)
      .attr('fill', COLORS.ink)
      .text(what);
    return n;
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  const light = (n: Any, on: boolean): void => {
    n.classed('active', on)
      .select('rect.node')
      .attr('stroke', on ? COLORS.lineage : '#9ca3af')
      .attr('stroke-width', on ? 3 : 1);
  };
  const setActive = (which: number | 'input' | 'heads' | null): void => {
    light(input, which === 'input');
    nodes.forEach((n, i) => {
      light(n, which === i);
    });
    for (const h of heads) light(h, which === 'heads');
  };
  return {
    layers: net.trunk.length,
    setActive,
    pulse(ms = 90) {
      if (timer) clearInterval(timer);
      const reduce = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      if (reduce || typeof setInterval === 'undefined') return setActive('heads');
      let i = -1;
      setActive('input');
      timer = setInterval(() => {
        i++;
        if (!svg.node()!.isConnected || i >= nodes.length) {
          clearInterval(timer);
          timer = undefined;
          setActive('heads');
          return;
        }
        setActive(i);
      }, ms);
    },
  };
}
