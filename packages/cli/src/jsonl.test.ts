import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlWriter, readJsonl } from './jsonl.js';

const tmp = (): string => join(mkdtempSync(join(tmpdir(), 'mtcnn-jsonl-')), 'out.jsonl');

describe('readJsonl', () => {
  it('reads a missing file as empty', () => {
    expect(readJsonl(tmp())).toEqual({ records: [], completeBytes: 0, partialTailBytes: 0, badLines: 0 });
  });

  it('reads complete lines and reports a line cut by a crash, and damaged lines, without failing', () => {
    const f = tmp();
    writeFileSync(f, '{"file":"a.jpg"}\n[1]\nnot json\n\n{"file":"b.jpg"}\n{"file":"c.j');
    const r = readJsonl(f);
    expect(r.records).toEqual([{ file: 'a.jpg' }, { file: 'b.jpg' }]);
    expect(r.badLines).toBe(2);
    expect(r.completeBytes).toBe(Buffer.byteLength('{"file":"a.jpg"}\n[1]\nnot json\n\n{"file":"b.jpg"}\n'));
    expect(r.partialTailBytes).toBe(Buffer.byteLength('{"file":"c.j'));
  });
});

describe('JsonlWriter', () => {
  it('writes one line per record, readable at once (before close)', () => {
    const f = tmp();
    const w = new JsonlWriter(f, 'truncate');
    w.write({ file: 'é.jpg', faces: [] });
    expect(readFileSync(f, 'utf8')).toBe('{"file":"é.jpg","faces":[]}\n');
    w.write({ file: 'b.jpg', error: { code: 'DECODE_FAILED', message: 'x' } });
    w.close();
    expect(readJsonl(f).records).toHaveLength(2);
  });

  it("'truncate' starts over; 'append' keeps the complete lines and drops a cut last line", () => {
    const f = tmp();
    writeFileSync(f, '{"file":"a.jpg"}\n{"file":"b.j');
    const a = new JsonlWriter(f, 'append');
    a.write({ file: 'c.jpg' });
    a.close();
    expect(readFileSync(f, 'utf8')).toBe('{"file":"a.jpg"}\n{"file":"c.jpg"}\n');
    const t = new JsonlWriter(f, 'truncate');
    t.close();
    expect(readFileSync(f, 'utf8')).toBe('');
  });

  it('refuses to write after close', () => {
    const w = new JsonlWriter(tmp(), 'truncate');
    w.close();
    w.close(); // idempotent
    expect(() => w.write({})).toThrow(/closed/);
  });
});
