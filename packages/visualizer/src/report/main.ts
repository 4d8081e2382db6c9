import '../styles.css';
import { select } from 'd3';
import { decodeToRgb } from '../decode.js';
import { REPORT_DATA_ID, unpackReport } from '../report-data.js';
import { createViewer } from '../viewer.js';

/**
 * The report viewer: the same stage panels as the app, on the trace `mtcnn report` embedded.
 * No detector runs here; every number was computed by the CLI.
 */
async function main(): Promise<void> {
  const app = select('#app').attr('class', 'app report');
  const el = document.getElementById(REPORT_DATA_ID);
  if (!el?.textContent) {
    app.append('p').attr('class', 'status').attr('data-state', 'error').text('This report has no embedded data.');
    return;
  }
  const data = unpackReport(el.textContent);
  const { trace } = data;
  const o = trace.options;
  const head = app.append('header').attr('class', 'app-head');
  head.append('h1').html('MTCNN, <span>stage by stage</span>');
  const meta = head.append('p').attr('class', 'report-meta');
  const item = (k: string, v: string): void => {
    const s = meta.append('span');
    s.append('span').text(`${k} `);
    s.append('b').text(v);
  };
  item('image', `${data.name} (${trace.image.width}×${trace.image.height})`);
  item('backend', data.backend);
  item('min face', `${o.minFaceSize} px`);
  item('scale factor', String(o.scaleFactor));
  item('thresholds', o.thresholds.join(' / '));
  item('NMS', o.nmsThresholds.join(' / '));
  item('border', o.borderMode);
  item('made', new Date(data.createdAt).toLocaleString());
  const status = app
    .append('p')
    .attr('class', 'status')
    .attr('role', 'status')
    .attr('data-state', 'loading')
    .text('Decoding the image…');
  const viewer = createViewer(app.append('div').attr('class', 'viewer-host').node()!);
  app
    .append('footer')
    .attr('class', 'app-foot')
    .text(
      'A report from `mtcnn report`: everything is inside this file and works offline. The trace ' +
        'is fixed; to move the thresholds, open the image in the visualizer app (`pnpm viz`).',
    );
  const rgb = await decodeToRgb(await (await fetch(data.image)).blob());
  viewer.update({ trace, image: { href: data.image, rgb, name: data.name }, run: { backend: data.backend } });
  status
    .attr('data-state', 'done')
    .attr('data-faces', trace.counts.faces)
    .text(
      `${trace.counts.faces} face${trace.counts.faces === 1 ? '' : 's'} ` +
        `in ${trace.timings.total.toFixed(0)} ms on ${data.backend}.`,
    );
}

main().catch((e: unknown) => {
  console.error(e);
  select('#app')
    .append('p')
    .attr('class', 'status')
    .attr('data-state', 'error')
    .text(`Error: ${(e as Error).message}`);
});
