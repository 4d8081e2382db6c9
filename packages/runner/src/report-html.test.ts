import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadImage } from '@mtcnn/core/node';
import { openDetector } from '@mtcnn/backends/node';
import { reportHtml } from './report-html.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

describe('reportHtml', () => {
  it("embeds the detection's trace, the decoded image as PNG, the name and the backend", async () => {
    const detector = await openDetector('onnx', {});
    try {
      const image = await loadImage(SAMPLE);
      const report = await detector.detectWithStats(image, { trace: true });
      const html = await reportHtml(image, report.trace!, 'collage <1>.jpg', detector.backend.name);
      expect(html).toContain('<title>MTCNN stages: collage &lt;1&gt;.jpg</title>');
      expect(html).toContain('data:image/png;base64,');
      expect(html.length).toBeGreaterThan(100_000);
    } finally {
      detector.dispose();
    }
  });
});
