/**
 * "Export SVG": the current panel's figures stacked into one standalone SVG file, with the panel's
 * title and caption as text. Renderers draw with presentation attributes (not CSS) and embed
 * their pixels as data URLs, so the file looks the same anywhere.
 */
const NS = 'http://www.w3.org/2000/svg';

export function panelToSvg(panel: Element, width = 960): string {
  const doc = panel.ownerDocument;
  const title = panel.querySelector('.panel-title')?.textContent ?? 'MTCNN';
  const caption = panel.querySelector('.panel-caption')?.textContent ?? '';
  const out = doc.createElementNS(NS, 'svg');
  out.setAttribute('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
  const text = (y: number, size: number, fill: string, s: string, weight = 400): void => {
    const t = doc.createElementNS(NS, 'text');
    t.setAttribute('x', '16');
    t.setAttribute('y', String(y));
    t.setAttribute('font-size', String(size));
    t.setAttribute('font-weight', String(weight));
    t.setAttribute('fill', fill);
    t.textContent = s;
    out.appendChild(t);
  };
  text(30, 20, '#111827', title, 700);
  text(52, 13, '#4b5563', caption);
  let y = 68;
  for (const svg of Array.from(panel.querySelectorAll<SVGSVGElement>('svg.viz'))) {
    const vb = (svg.getAttribute('viewBox') ?? '0 0 100 100').split(/[ ,]+/).map(Number);
    const w = Math.min(width - 32, Math.max(vb[2], 200));
    const h = (w * vb[3]) / vb[2];
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('x', '16');
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(w));
    copy.setAttribute('height', String(h));
    copy.removeAttribute('tabindex');
    out.appendChild(copy);
    y += h + 8;
    const cap = svg.getAttribute('data-caption');
    if (cap) {
      text(y + 12, 12, '#6b7280', cap);
      y += 24;
    }
  }
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(y + 8));
  out.setAttribute('viewBox', `0 0 ${width} ${y + 8}`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}`;
}

/** Offers the SVG as a download. */
export function downloadSvg(svg: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
