// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fixtureInput } from './fixture.test-util.js';
import { createViewer } from './viewer.js';

function key(k: string): void {
  document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
}

describe('createViewer', () => {
  it('shows the strip and one panel, and moves between stages with the keyboard', async () => {
    document.body.innerHTML = '<div id="v"></div>';
    const viewer = createViewer(document.getElementById('v')!);
    viewer.update(await fixtureInput());
    const stage = (): string | null => document.querySelector('.panel')!.getAttribute('data-stage');
    expect(document.querySelectorAll('.stage-card')).toHaveLength(6);
    expect(stage()).toBe('pyramid');
    key('ArrowRight');
    expect(stage()).toBe('pnet');
    expect(document.querySelector('.stage-card[aria-selected="true"]')!.getAttribute('data-stage')).toBe('pnet');
    key('5');
    expect(stage()).toBe('rnet');
    key('End');
    expect(stage()).toBe('onet');
    key('ArrowRight');
    expect(stage()).toBe('onet');
    key('Home');
    expect(stage()).toBe('pyramid');
    expect(location.hash).toBe('#pyramid');
  });

  it('ignores keys typed into a form field', async () => {
    document.body.innerHTML = '<input id="i"><div id="v"></div>';
    const viewer = createViewer(document.getElementById('v')!);
    viewer.update(await fixtureInput());
    viewer.select('pyramid');
    document.getElementById('i')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(viewer.stage).toBe('pyramid');
  });

  it('drops a selection when a new trace arrives (ids index the trace)', async () => {
    document.body.innerHTML = '<div id="v"></div>';
    const viewer = createViewer(document.getElementById('v')!);
    const input = await fixtureInput();
    viewer.update(input);
    viewer.select('rnet');
    (document.querySelector('g.crop rect.hit') as SVGRectElement).dispatchEvent(
      new MouseEvent('click', { bubbles: true }),
    );
    expect(document.querySelector('g.crop.selected')).not.toBeNull();
    viewer.update(await fixtureInput());
    expect(document.querySelector('g.crop.selected')).toBeNull();
  });
});
