import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ArgsError,
  DEFAULT_ROC_THRESHOLD,
  EVAL_BACKEND,
  parseEvalArgs,
  REPO_DIR,
  runName,
  SHARED_DIR,
  significantArgs,
} from './args.js';

describe('parseEvalArgs', () => {
  it('defaults: the dev list, default options, the docs page, ../shared beside the repository', () => {
    const a = parseEvalArgs([]);
    expect(a).toMatchObject({
      list: 'dev',
      name: 'default',
      thresholds: [0.6, 0.7, 0.7],
      rocThreshold: DEFAULT_ROC_THRESHOLD,
      fresh: false,
    });
    expect(a.detectArgs).toEqual(['--backend', EVAL_BACKEND]); // pinned, whatever the CLI's default
    expect(a.docs).toBe(`${REPO_DIR}docs/accuracy.md`);
    expect(a.data).toBe(`${SHARED_DIR}data/fddb/`);
    expect(a.evaluator).toBe(`${SHARED_DIR}tools/eval-faces.mjs`);
    expect(existsSync(`${REPO_DIR}pnpm-workspace.yaml`)).toBe(true);
  });

  it('keeps its own options and passes the rest to mtcnn detect, in order', () => {
    const a = parseEvalArgs([
      '--list',
      'all',
      '--preset',
      'reference',
      '--jobs',
      '2',
      '--border=stretch',
      '--no-docs',
      '--limit',
      '5',
      '--fresh',
    ]);
    expect(a).toMatchObject({
      list: 'all',
      limit: 5,
      fresh: true,
      docs: false,
      detectArgs: ['--preset', 'reference', '--jobs', '2', '--border=stretch', '--backend', EVAL_BACKEND],
    });
    expect(a.name).toBe('preset-reference_border-stretch');
  });

  it('takes the final threshold as the operating point and runs no higher than it', () => {
    expect(parseEvalArgs(['--thresholds', '0.6,0.7,0.9'])).toMatchObject({
      thresholds: [0.6, 0.7, 0.9],
      rocThreshold: DEFAULT_ROC_THRESHOLD,
      name: 'thresholds-0.6,0.7,0.9',
    });
    expect(parseEvalArgs(['--thresholds=0.6,0.7,0.005', '--roc-threshold', '0.05']).rocThreshold).toBe(0.005);
  });

  it('keeps a backend given explicitly, and names the run after it', () => {
    const a = parseEvalArgs(['--backend', 'tfjs-cpu']);
    expect(a.detectArgs).toEqual(['--backend', 'tfjs-cpu']);
    expect(a.name).toBe('backend-tfjs-cpu');
  });

  it('rejects what it sets itself and malformed values', () => {
    for (const bad of [
      ['-o', 'x'],
      ['--output', 'x'],
      ['--resume'],
      ['--box-format', 'xyxy'],
      ['--list', 'test'],
      ['--limit', '0'],
      ['--thresholds', '1,2'],
      ['--thresholds', '0.6,0.7,'],
      ['--roc-threshold', '2'],
      ['--name'],
    ]) {
      expect(() => parseEvalArgs(bad), bad.join(' ')).toThrow(ArgsError);
    }
  });
});

describe('runName / significantArgs', () => {
  it('leaves out the options that do not change detections', () => {
    expect(
      significantArgs(['-j', '2', '--preset', 'reference', '-q', '--jobs=1', '--stats', '--min-face', '40']),
    ).toEqual(['--preset', 'reference', '--min-face', '40']);
    expect(runName(['--jobs', '2', '-q'], [0.6, 0.7, 0.7])).toBe('default');
    expect(runName(['--backend', 'tfjs-cpu', '--min-face', '40'], [0.6, 0.7, 0.7])).toBe(
      'backend-tfjs-cpu_min-face-40',
    );
  });
});
