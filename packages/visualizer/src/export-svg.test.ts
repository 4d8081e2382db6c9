// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { container } from './dom.test-util.js';
import { panelToSvg } from './export-svg.js';
import { fixtureInput } from './fixture.test-util.js';
import { onetRenderer } from './renderers/onet.js';

describe('panelToSvg', () => {
  it("stacks the panel's figures into one standalone SVG with its title and captions", async () => {
    const input = await fixtureInput();
    const sel = container().call(onetRenderer, input);
    const svg = panelToSvg(sel.node()!);
    expect(svg.startsWith('<?xml')).toBe(true);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.tagName).toBe('svg');
    expect(root.querySelectorAll('svg.viz')).toHaveLength(sel.selectAll('svg.viz').size());
    expect(root.querySelectorAll('g.crop')).toHaveLength(input.trace.onet.inputs.length);
    expect(root.textContent).toContain('O-Net');
    // Figures keep their own viewBox, so coordinates are still the trace's.
    expect(root.querySelector('svg.viz')!.getAttribute('width')).not.toBeNull();
  });
});
