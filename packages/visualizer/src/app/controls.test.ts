// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { buildControls, type ChangeKind } from './controls.js';

/** The form in a fresh document, with every change it reports. */
function form(): { changes: ChangeKind[]; controls: ReturnType<typeof buildControls>; root: HTMLElement } {
  document.body.innerHTML = '';
  const root = document.body.appendChild(document.createElement('div'));
  const changes: ChangeKind[] = [];
  const controls = buildControls(root, (kind) => changes.push(kind));
  return { changes, controls, root };
}

function type(root: HTMLElement, name: string, value: string, event: 'input' | 'change' = 'input'): HTMLInputElement {
  const el = root.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  el.value = value;
  el.dispatchEvent(new Event(event, { bubbles: true }));
  return el;
}

describe('buildControls (issue 14 item 9: a number box beside every slider)', () => {
  it('starts on the core defaults, one number box per slider', () => {
    const { controls, root } = form();
    const ranges = root.querySelectorAll('input[type="range"]');
    expect(root.querySelectorAll('input[type="number"]')).toHaveLength(ranges.length);
    expect(ranges.length).toBe(9);
    expect(controls.options()).toEqual({
      minFaceSize: 20,
      scaleFactor: 0.709,
      thresholds: [0.6, 0.7, 0.7],
      nmsThresholds: [0.5, 0.7, 0.7, 0.7],
      borderMode: 'grey-pad',
    });
  });

  it('takes a typed threshold exactly (0.999, 0.9995), finer than the slider step', () => {
    const { changes, controls, root } = form();
    type(root, 'onet-threshold-value', '0.999');
    expect(controls.options().thresholds?.[2]).toBe(0.999);
    expect(changes).toEqual(['post']);
    type(root, 'onet-threshold-value', '0.9995');
    expect(controls.options().thresholds?.[2]).toBe(0.9995);
    // The slider follows as near as its step (0.001) allows; the option keeps the typed value.
    expect(Number(root.querySelector<HTMLInputElement>('input[name="onet-threshold"]')!.value)).toBeCloseTo(0.9995, 2);
    expect(changes).toEqual(['post', 'post']);
  });

  it('refuses a value out of range or not a number: marked invalid, no run', () => {
    const { changes, controls, root } = form();
    for (const bad of ['1.5', '-0.1', '', 'abc']) {
      const el = type(root, 'rnet-threshold-value', bad);
      expect(el.getAttribute('aria-invalid'), bad).not.toBeNull();
    }
    expect(changes).toEqual([]);
    // The detector keeps the last valid value (another option moved meanwhile must not send 0 or NaN).
    expect(controls.options().thresholds?.[1]).toBe(0.7);
    const el = type(root, 'rnet-threshold-value', '0.75');
    expect(el.hasAttribute('aria-invalid')).toBe(false);
    expect(controls.options().thresholds?.[1]).toBe(0.75);
  });

  it('re-runs the networks for a pyramid option only when the value is committed', () => {
    const { changes, controls, root } = form();
    type(root, 'min-face-value', '150');
    expect(changes).toEqual([]); // typing 1, 15, 150 must not start three pyramids
    // ... nor does a threshold moved meanwhile carry the half-typed size along.
    type(root, 'pnet-threshold-value', '0.65');
    expect(controls.options()).toMatchObject({ minFaceSize: 20, thresholds: [0.65, 0.7, 0.7] });
    type(root, 'min-face-value', '150', 'change');
    expect(changes).toEqual(['post', 'network']);
    expect(controls.options().minFaceSize).toBe(150);
  });

  it('moves the number box with the slider, and resets both', () => {
    const { changes, controls, root } = form();
    type(root, 'nms-scale', '0.42');
    expect(root.querySelector<HTMLInputElement>('input[name="nms-scale-value"]')!.value).toBe('0.42');
    expect(controls.options().nmsThresholds?.[0]).toBe(0.42);
    expect(changes).toEqual(['post']);
    root.querySelector<HTMLButtonElement>('button.reset')!.click();
    expect(controls.options().nmsThresholds?.[0]).toBe(0.5);
    expect(changes).toEqual(['post', 'network']);
  });
});
