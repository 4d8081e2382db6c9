import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonDirectory, OutputError, outputPath, outputStems, writeOutput } from './outputs.js';

describe('outputStems', () => {
  it('keeps the path relative to the common directory, so same names in different folders stay apart', () => {
    expect(outputStems(['c1/x.jpg', 'c2/x.jpg'], '/w')).toEqual(['c1/x', 'c2/x']);
    expect(outputStems(['photos/a.jpg'], '/w')).toEqual(['a']);
    expect(outputStems(['/p/a/b/x.jpg', '/p/a/y.png'], '/w')).toEqual(['b/x', 'y']);
    expect(commonDirectory(['/p/a/b/x.jpg', '/p/a/y.png'])).toBe('/p/a');
  });

  it('gives inputs that differ by extension or case -2, -3..., never a stem another input has', () => {
    // c1/x.png and c1/x-2.jpg were both written as x-2_0.png.
    expect(outputStems(['c1/x.jpg', 'c1/x.png', 'c1/x-2.jpg'], '/w')).toEqual(['x', 'x-3', 'x-2']);
    expect(outputStems(['a/X.jpg', 'a/x.png'], '/w')).toEqual(['X', 'x-2']);
    const many = ['d/a.jpg', 'd/a.png', 'd/a.webp', 'd/a-2.tif'];
    const stems = outputStems(many, '/w');
    expect(new Set(stems.map((s) => s.toLowerCase())).size).toBe(many.length);
    expect(outputStems(many, '/w')).toEqual(stems); // the same inputs, the same names
    expect(outputPath('out', 'c1/x', '_0.png')).toBe(join('out', 'c1', 'x_0.png'));
  });
});

describe('writeOutput', () => {
  it('creates the directory, refuses an existing file without overwrite, and never writes an input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtcnn-outputs-'));
    const path = join(dir, 'sub/a.png');
    await writeOutput(path, Buffer.from('one'), { overwrite: false });
    await expect(writeOutput(path, Buffer.from('two'), { overwrite: false })).rejects.toMatchObject({
      code: 'OUTPUT_EXISTS',
    });
    expect(readFileSync(path, 'utf8')).toBe('one');
    await writeOutput(path, Buffer.from('two'), { overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe('two');
    await expect(
      writeOutput(path, Buffer.from('3'), { overwrite: true, inputs: new Set([resolve(path)]) }),
    ).rejects.toBeInstanceOf(OutputError);
    writeFileSync(join(dir, 'file'), '');
    await expect(writeOutput(join(dir, 'file/x.png'), Buffer.from('x'), { overwrite: false })).rejects.toMatchObject({
      code: 'WRITE_FAILED',
    });
  });
});
