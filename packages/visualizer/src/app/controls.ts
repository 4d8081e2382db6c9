import { select } from 'd3';
import type { BorderMode, DetectorOptions } from '@mtcnn/core';

/**
 * The detector options as a form. Two kinds of change: "network" (min face size, scale factor:
 * a new pyramid, so P-Net re-runs, applied when the slider is released) and "post" (thresholds,
 * NMS, border: applied while dragging; the networks answer from the cache except for inputs
 * they have not seen yet).
 */
export type ChangeKind = 'network' | 'post';

interface Slider {
  name: string;
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  kind: ChangeKind;
  title: string;
}

const GROUPS: ReadonlyArray<{ title: string; note: string; sliders: Slider[] }> = [
  {
    title: 'Pyramid',
    note: 're-runs the networks',
    sliders: [
      {
        name: 'min-face',
        label: 'Min face size (px)',
        min: 12,
        max: 200,
        step: 1,
        value: 20,
        kind: 'network',
        title: 'Smallest face to find: the first scale is 12 / size',
      },
      {
        name: 'scale-factor',
        label: 'Scale factor',
        min: 0.5,
        max: 0.9,
        step: 0.001,
        value: 0.709,
        kind: 'network',
        title: 'Each pyramid level is this much smaller than the previous',
      },
    ],
  },
  {
    title: 'Score thresholds',
    note: 'instant: cached network outputs',
    sliders: [
      {
        name: 'pnet-threshold',
        label: 'P-Net (≥)',
        min: 0,
        max: 1,
        step: 0.001,
        value: 0.6,
        kind: 'post',
        title: 'Windows at or above this P-Net score become candidates',
      },
      {
        name: 'rnet-threshold',
        label: 'R-Net (>)',
        min: 0,
        max: 1,
        step: 0.001,
        value: 0.7,
        kind: 'post',
        title: 'R-Net score needed to go on to O-Net',
      },
      {
        name: 'onet-threshold',
        label: 'O-Net (>)',
        min: 0,
        max: 1,
        step: 0.001,
        value: 0.7,
        kind: 'post',
        title: 'O-Net score needed to be a face',
      },
    ],
  },
  {
    title: 'NMS overlap thresholds',
    note: 'instant: cached network outputs',
    sliders: [
      {
        name: 'nms-scale',
        label: 'P-Net per level (IoU)',
        min: 0,
        max: 1,
        step: 0.01,
        value: 0.5,
        kind: 'post',
        title: 'Suppress boxes of one level overlapping a better one by more than this IoU',
      },
      {
        name: 'nms-cross',
        label: 'P-Net across levels (IoU)',
        min: 0,
        max: 1,
        step: 0.01,
        value: 0.7,
        kind: 'post',
        title: 'The same across all levels',
      },
      {
        name: 'nms-rnet',
        label: 'R-Net (IoU)',
        min: 0,
        max: 1,
        step: 0.01,
        value: 0.7,
        kind: 'post',
        title: 'NMS after R-Net',
      },
      {
        name: 'nms-onet',
        label: 'O-Net (over smaller)',
        min: 0,
        max: 1,
        step: 0.01,
        value: 0.7,
        kind: 'post',
        title: 'Final NMS: intersection over the smaller box',
      },
    ],
  },
];

export interface Controls {
  options(): DetectorOptions;
  reset(): void;
}

export function buildControls(parent: HTMLElement, onChange: (kind: ChangeKind) => void): Controls {
  const root = select(parent).append('div').attr('class', 'options');
  /** Per option: the slider and the number box beside it. */
  const inputs = new Map<string, { range: HTMLInputElement; num: HTMLInputElement }>();
  /**
   * The exact value of each option: the last valid one typed or slid. Not read back from the
   * number box, which may hold a half-typed or invalid value while another option changes.
   */
  const values = new Map<string, number>();
  for (const group of GROUPS) {
    const fs = root.append('fieldset').attr('class', 'group');
    fs.append('legend').html(`${group.title} <small>${group.note}</small>`);
    for (const s of group.sliders) {
      const row = fs.append('div').attr('class', 'slider').attr('title', s.title);
      const head = row.append('span').attr('class', 'slider-head');
      const id = `opt-${s.name}`;
      head.append('label').attr('for', id).text(s.label);
      const num = head
        .append('input')
        .attr('type', 'number')
        .attr('class', 'value')
        .attr('name', `${s.name}-value`)
        .attr('aria-label', `${s.label}, exact value`)
        .attr('min', s.min)
        .attr('max', s.max)
        .attr('step', 'any')
        .attr('inputmode', 'decimal')
        .property('value', String(s.value))
        .node()!;
      const range = row
        .append('input')
        .attr('type', 'range')
        .attr('id', id)
        .attr('name', s.name)
        .attr('min', s.min)
        .attr('max', s.max)
        .attr('step', s.step)
        .attr('data-kind', s.kind)
        .property('value', s.value)
        .node()!;
      values.set(s.name, s.value);
      range.addEventListener('input', () => {
        num.value = range.value;
        num.removeAttribute('aria-invalid');
        if (s.kind === 'post') {
          values.set(s.name, Number(range.value));
          onChange('post');
        }
      });
      // A pyramid option counts once released (a new pyramid per drag step would re-run P-Net each time).
      range.addEventListener('change', () => {
        if (s.kind !== 'network') return;
        values.set(s.name, Number(range.value));
        onChange('network');
      });
      // Typed values are taken as typed (0.999, 0.9995): the slider follows as near as its step allows.
      const typed = (final: boolean): void => {
        const v = Number(num.value);
        const ok = num.value.trim() !== '' && Number.isFinite(v) && v >= s.min && v <= s.max;
        num.toggleAttribute('aria-invalid', !ok);
        if (!ok) return;
        range.value = String(v);
        if (s.kind === 'post' || final) {
          values.set(s.name, v);
          onChange(s.kind);
        }
      };
      num.addEventListener('input', () => typed(false));
      num.addEventListener('change', () => s.kind === 'network' && typed(true));
      inputs.set(s.name, { range, num });
    }
  }
  const crops = root.append('fieldset').attr('class', 'group');
  crops.append('legend').html('Crops at the border <small>re-runs R-/O-Net on border crops</small>');
  const border = crops
    .append('select')
    .attr('name', 'border-mode')
    .attr('aria-label', 'Border mode')
    .on('change', () => onChange('post'));
  border.append('option').attr('value', 'grey-pad').text('grey-pad: keep the box, grey outside (default)');
  border.append('option').attr('value', 'zero-pad').text('zero-pad: keep the box, black outside');
  border.append('option').attr('value', 'stretch').text('stretch: in-image part only (reference)');
  const reset = crops.append('button').attr('type', 'button').attr('class', 'reset').text('Reset to defaults');

  const v = (name: string): number => values.get(name)!;
  const controls: Controls = {
    options: () => ({
      minFaceSize: v('min-face'),
      scaleFactor: v('scale-factor'),
      thresholds: [v('pnet-threshold'), v('rnet-threshold'), v('onet-threshold')],
      nmsThresholds: [v('nms-scale'), v('nms-cross'), v('nms-rnet'), v('nms-onet')],
      borderMode: border.property('value') as BorderMode,
    }),
    reset() {
      for (const g of GROUPS)
        for (const s of g.sliders) {
          const { range, num } = inputs.get(s.name)!;
          range.value = String(s.value);
          num.value = String(s.value);
          num.removeAttribute('aria-invalid');
          values.set(s.name, s.value);
        }
      border.property('value', 'grey-pad');
      onChange('network');
    },
  };
  reset.on('click', () => controls.reset());
  return controls;
}
