import { describe, expect, it } from 'vitest';
import { fixtureInput } from './fixture.test-util.js';
import { packReport, unpackReport, type ReportData } from './report-data.js';

describe('report data', () => {
  it('round-trips the trace exactly, probability maps included', async () => {
    const { trace } = await fixtureInput();
    const data: ReportData = {
      format: 'mtcnn-report/1',
      name: 'x.png',
      image: 'data:image/png;base64,',
      backend: 'fake',
      createdAt: '2026-01-01T00:00:00.000Z',
      trace,
    };
    const packed = packReport(data);
    expect(unpackReport(packed)).toEqual(JSON.parse(JSON.stringify(data)));
    // The maps travel as base64 float32, not as JSON number lists.
    expect(packed.length).toBeLessThan(JSON.stringify(data).length);
  });

  it('refuses another format', () => {
    expect(() => unpackReport('{"format":"other"}')).toThrow(/format/);
  });
});
