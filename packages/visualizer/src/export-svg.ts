/**
 * "Export SVG": the current panel as one standalone SVG file: its title and caption, the legends,
 * every figure at the size it has on screen (or, without a layout, a readable one) with its
 * caption, and the numbers of the details below it. Text is wrapped to the page; what only makes
 * sense on screen (hints such as "click a box") is left out. Renderers draw with presentation
 * attributes (not CSS) and embed their pixels, so the file looks the same anywhere.
 */
const NS = 'http://www.w3.org/2000/svg';

/** Splits text into lines of at most about `width` pixels at `size` (average glyph ~0.55 em). */
export function wrapText(text: string, width: number, size: number): string[] {
  const max = Math.max(8, Math.floor(width / (size * 0.55)));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
    while (line.length > max) {
      lines.push(line.slice(0, max));
      line = line.slice(max);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Visible text of an element without its hints (`.hint`) and buttons' chrome. */
function textOf(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  for (const h of Array.from(copy.querySelectorAll('.hint, .view-tools'))) h.remove();
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function panelToSvg(panel: Element, width = 1200): string {
  const doc = panel.ownerDocument;
  const out = doc.createElementNS(NS, 'svg');
  out.setAttribute('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
  const inner = width - 32;
  let y = 12;
  const text = (s: string, size: number, fill: string, weight = 400, x = 16, w = inner): void => {
    for (const line of wrapText(s, w, size)) {
      y += size * 1.35;
      const t = doc.createElementNS(NS, 'text');
      t.setAttribute('x', String(x));
      t.setAttribute('y', String(y));
      t.setAttribute('font-size', String(size));
      t.setAttribute('font-weight', String(weight));
      t.setAttribute('fill', fill);
      t.textContent = line;
      out.appendChild(t);
    }
  };
  const title = panel.querySelector('.panel-title')?.textContent ?? 'MTCNN';
  text(title, 22, '#111827', 700);
  const caption = panel.querySelector('.panel-caption');
  if (caption) text(textOf(caption), 14, '#374151');
  y += 6;

  // Legends: a swatch and its meaning, flowing left to right.
  for (const ul of Array.from(panel.querySelectorAll('.legend'))) {
    let x = 16;
    y += 20;
    for (const li of Array.from(ul.querySelectorAll('li'))) {
      const label = textOf(li);
      const sw = li.querySelector<HTMLElement>('.swatch');
      const color = sw?.style.getPropertyValue('--swatch') || '#6b7280';
      const w = 26 + label.length * 13 * 0.55;
      if (x + w > width - 16) {
        x = 16;
        y += 20;
      }
      const s = doc.createElementNS(NS, sw?.classList.contains('dot') ? 'circle' : 'line');
      if (sw?.classList.contains('dot')) {
        s.setAttribute('cx', String(x + 6));
        s.setAttribute('cy', String(y - 4));
        s.setAttribute('r', '5');
        s.setAttribute('fill', color);
      } else {
        s.setAttribute('x1', String(x));
        s.setAttribute('x2', String(x + 18));
        s.setAttribute('y1', String(y - 4));
        s.setAttribute('y2', String(y - 4));
        s.setAttribute('stroke', color);
        s.setAttribute('stroke-width', '3');
        if (sw?.classList.contains('dash')) s.setAttribute('stroke-dasharray', '5 3');
      }
      out.appendChild(s);
      const t = doc.createElementNS(NS, 'text');
      t.setAttribute('x', String(x + 24));
      t.setAttribute('y', String(y));
      t.setAttribute('font-size', '13');
      t.setAttribute('fill', '#374151');
      t.textContent = label;
      out.appendChild(t);
      x += w + 14;
    }
  }
  y += 12;

  for (const svg of Array.from(panel.querySelectorAll<SVGSVGElement>('svg.viz'))) {
    const vb = (svg.getAttribute('viewBox') ?? '0 0 100 100').split(/[ ,]+/).map(Number);
    const shown = svg.getBoundingClientRect?.().width ?? 0;
    // On screen: its size there; otherwise (no layout) a readable size, never wider than the page.
    const w = Math.min(inner, shown > 0 ? shown : Math.max(vb[2], 480));
    const h = (w * vb[3]) / vb[2];
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('x', '16');
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(w));
    copy.setAttribute('height', String(h));
    copy.removeAttribute('tabindex');
    out.appendChild(copy);
    y += h + 2;
    const cap = svg.getAttribute('data-caption');
    if (cap) text(cap, 12.5, '#6b7280', 400, 16, Math.max(w, 480));
    y += 14;
  }

  // The numbers: each detail line, "key  value", wrapped.
  for (const details of Array.from(panel.querySelectorAll('.details'))) {
    for (const item of Array.from(details.children)) {
      const k = item.querySelector('.k');
      const v = item.querySelector('.v');
      if (k && v) text(`${textOf(k) ? `${textOf(k)}: ` : ''}${textOf(v)}`, 13, '#111827');
      else text(textOf(item), 13, '#374151');
      y += 3;
    }
  }
  for (const table of Array.from(panel.querySelectorAll('table.result-list tr'))) {
    text(
      Array.from(table.children)
        .map((c) => textOf(c))
        .join('   '),
      12.5,
      '#111827',
    );
  }
  const height = Math.ceil(y + 16);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bg = doc.createElementNS(NS, 'rect');
  bg.setAttribute('width', String(width));
  bg.setAttribute('height', String(height));
  bg.setAttribute('fill', '#ffffff');
  out.insertBefore(bg, out.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}`;
}

/** Offers text as a download. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Offers the SVG as a download, with any `blob:` picture inlined as a data URL (so the file stands alone). */
export async function downloadSvg(svg: string, fileName: string): Promise<void> {
  const blobs = [...new Set(svg.match(/blob:[^"'\s)]+/g) ?? [])];
  let text = svg;
  for (const url of blobs) {
    const blob = await (await fetch(url)).blob();
    const data = await new Promise<string>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result as string);
      r.onerror = () => reject(r.error);
      r.readAsDataURL(blob);
    });
    text = text.split(url).join(data);
  }
  downloadText(text, fileName, 'image/svg+xml');
}
