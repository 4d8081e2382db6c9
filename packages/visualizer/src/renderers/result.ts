import { KEYPOINT_NAMES, type Face } from '@mtcnn/core';
import { COLORS, LANDMARK_COLORS } from '../colors.js';
import type { NodeRef } from '../explain/lineage.js';
import { fmt, type VizInput } from '../model.js';
import { boxRect, imageView, type Container } from '../view.js';

/** A face's box as `[x1, y1, x2, y2]`, whatever the trace's box format. */
export function faceXyxy(f: Face, format: 'xywh' | 'xyxy'): [number, number, number, number] {
  return format === 'xyxy'
    ? [f.box[0], f.box[1], f.box[2], f.box[3]]
    : [f.box[0], f.box[1], f.box[0] + f.box[2], f.box[1] + f.box[3]];
}

/**
 * The result, large: the image with every final face numbered, its box and five keypoints, and
 * the same faces as a list and as the JSON `detect()` returns.
 */
export function resultView(sel: Container, input: VizInput, pick: (ref: NodeRef) => void): void {
  const { trace } = input;
  const section = sel.append('section').attr('class', 'result').attr('aria-label', 'Result');
  section
    .append('h3')
    .attr('class', 'result-title')
    .text(`Result: ${trace.faces.length} face${trace.faces.length === 1 ? '' : 's'}`);
  const selectedFace = input.link?.lineage?.face;
  const iv = imageView(
    section.append('div').attr('class', 'views result-views'),
    input,
    'result-view',
    'The detected faces, largest first, with their five keypoints.',
    {
      hint: 'Click one to follow its journey.',
      pickables: () =>
        trace.faces.map((f, k) => ({ ref: { stage: 'face', id: k }, box: faceXyxy(f, trace.options.boxFormat) })),
      onPick: (ref) => ref && pick(ref),
      focusBox: () =>
        selectedFace !== undefined && trace.faces[selectedFace]
          ? faceXyxy(trace.faces[selectedFace], trace.options.boxFormat)
          : undefined,
    },
  );
  const font = 12 * iv.unit;
  trace.faces.forEach((f, k) => {
    const b = faceXyxy(f, trace.options.boxFormat);
    const g = iv.layer.append('g').attr('class', 'result-face-g').attr('data-face', k);
    boxRect(g, b, 'result-face', selectedFace === k ? COLORS.lineage : COLORS.kept, selectedFace === k ? 4 : 3);
    KEYPOINT_NAMES.forEach((name, j) => {
      const [x, y] = f.keypoints[name];
      g.append('circle')
        .attr('class', 'result-landmark')
        .attr('data-name', name)
        .attr('cx', x)
        .attr('cy', y)
        .attr('r', Math.max(2, Math.min(7 * iv.unit, (b[2] - b[0]) / 16)))
        .attr('fill', LANDMARK_COLORS[j])
        .attr('stroke', '#fff')
        .attr('stroke-width', 1.2)
        .attr('vector-effect', 'non-scaling-stroke');
    });
    g.append('text')
      .attr('class', 'face-number')
      .attr('x', b[0])
      .attr('y', b[1] - font * 0.35)
      .attr('font-size', font)
      .attr('font-weight', 800)
      .attr('fill', COLORS.kept)
      .attr('stroke', '#fff')
      .attr('stroke-width', font * 0.22)
      .attr('paint-order', 'stroke')
      .text(`${k + 1} · ${fmt.score(f.confidence)}`);
  });
  const table = section.append('table').attr('class', 'result-list');
  table
    .append('thead')
    .append('tr')
    .selectAll('th')
    .data([
      '#',
      'confidence',
      `box [${trace.options.boxFormat === 'xyxy' ? 'x1, y1, x2, y2' : 'x, y, w, h'}]`,
      'keypoints (x, y)',
    ])
    .join('th')
    .text((d) => d);
  const body = table.append('tbody');
  trace.faces.forEach((f, k) => {
    const tr = body
      .append('tr')
      .attr('data-face', k)
      .classed('selected', selectedFace === k);
    tr.append('td')
      .append('button')
      .attr('type', 'button')
      .attr('class', 'ref-link')
      .attr('data-focus-key', `face:${k}`)
      .text(`face ${k + 1}`)
      .on('click', () => pick({ stage: 'face', id: k }));
    tr.append('td').text(fmt.scoreLong(f.confidence));
    tr.append('td').text(fmt.box(f.box));
    tr.append('td').text(
      KEYPOINT_NAMES.map((n) => `${n} (${f.keypoints[n][0].toFixed(1)}, ${f.keypoints[n][1].toFixed(1)})`).join(', '),
    );
  });
  if (trace.faces.length === 0)
    body.append('tr').append('td').attr('colspan', 4).attr('class', 'empty').text('No face passed O-Net.');
  const json = section.append('details').attr('class', 'result-json');
  json.append('summary').text('As JSON (what detect() returns)');
  json.append('pre').text(JSON.stringify(trace.faces, null, 2));
}
