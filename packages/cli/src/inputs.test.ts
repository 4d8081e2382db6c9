import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandInputs } from './inputs.js';

const SAMPLE = fileURLToPath(new URL('../../../examples/astronaut-collage.jpg', import.meta.url));

describe('expandInputs', () => {
  let dir: string;
  beforeAll(() => {
    // photos/b.jpg, photos/a.PNG, photos/sub/c.jpeg, photos/notes.txt, photos/empty/, photos/sub/.hidden.jpg
    dir = mkdtempSync(join(tmpdir(), 'mtcnn-inputs-'));
    mkdirSync(join(dir, 'photos/sub'), { recursive: true });
    mkdirSync(join(dir, 'photos/empty'));
    for (const f of ['photos/b.jpg', 'photos/a.PNG', 'photos/sub/c.jpeg', 'photos/sub/.hidden.jpg'])
      copyFileSync(SAMPLE, join(dir, f));
    writeFileSync(join(dir, 'photos/notes.txt'), 'not an image');
  });

  it(
    'expands a directory recursively to its images, sorted, ' + 'extensions in any case, as paths under the argument',
    async () => {
      expect(await expandInputs(['photos'], dir)).toEqual([
        { file: 'photos/a.PNG' },
        { file: 'photos/b.jpg' },
        { file: 'photos/sub/c.jpeg' },
      ]);
      expect(await expandInputs(['./photos/'], dir)).toEqual([
        { file: './photos/a.PNG' },
        { file: './photos/b.jpg' },
        { file: './photos/sub/c.jpeg' },
      ]);
    },
  );

  it('expands glob patterns, relative ones to relative paths and absolute ones to absolute paths', async () => {
    expect(await expandInputs(['photos/**/*.jp*g'], dir)).toEqual([
      { file: 'photos/b.jpg' },
      { file: 'photos/sub/c.jpeg' },
    ]);
    expect(await expandInputs([join(dir, 'photos/*.jpg')], dir)).toEqual([{ file: join(dir, 'photos/b.jpg') }]);
  });

  it('keeps files and missing paths as given, in argument order, and non-images named explicitly', async () => {
    expect(await expandInputs(['photos/sub/c.jpeg', 'missing.jpg', 'photos/notes.txt'], dir)).toEqual([
      { file: 'photos/sub/c.jpeg' },
      { file: 'missing.jpg' },
      { file: 'photos/notes.txt' },
    ]);
  });

  it('turns a pattern or a directory that yields nothing into a NO_MATCH item in its place', async () => {
    const items = await expandInputs(['photos/b.jpg', 'photos/*.gif', 'photos/empty'], dir);
    expect(items).toEqual([
      { file: 'photos/b.jpg' },
      { file: 'photos/*.gif', error: { code: 'NO_MATCH', message: 'pattern photos/*.gif matches no file.' } },
      {
        file: 'photos/empty',
        error: { code: 'NO_MATCH', message: expect.stringContaining('directory photos/empty holds no image') },
      },
    ]);
  });

  it('lists a file found again by a directory or pattern once, but keeps every explicit argument', async () => {
    expect(await expandInputs(['photos/b.jpg', 'photos', 'photos/*.jpg'], dir)).toEqual([
      { file: 'photos/b.jpg' },
      { file: 'photos/a.PNG' },
      { file: 'photos/sub/c.jpeg' },
    ]);
    expect(await expandInputs(['photos/b.jpg', './photos/b.jpg'], dir)).toHaveLength(2);
  });
});
