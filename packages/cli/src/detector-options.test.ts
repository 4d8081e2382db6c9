import type { Command } from 'commander';
import { DEFAULT_OPTIONS } from '@mtcnn/core';
import { describe, expect, it } from 'vitest';
import { addDetectorOptions } from './detector-options.js';
import { buildProgram } from './program.js';

const program = buildProgram({ stdout: () => {}, stderr: () => {} }, () => {});
const command = (path: string): Command => {
  let c: Command = program;
  for (const name of path.split(' ')) c = c.commands.find((x) => x.name() === name)!;
  return c;
};
const flagsOf = (c: Command) => c.options.map((o) => o.long);
const shared = flagsOf(addDetectorOptions(program.createCommand('x')));

describe('the detector flag set', () => {
  it('is taken whole by every command that runs the detector (crop had only --backend and --min-face)', () => {
    expect(shared).toEqual(
      expect.arrayContaining(['--preset', '--min-face', '--thresholds', '--nms', '--border', '--box-format']),
    );
    for (const path of ['detect', 'crop', 'serve', 'queue add'])
      expect({ path, flags: flagsOf(command(path)) }).toEqual({ path, flags: expect.arrayContaining(shared) });
    // The report is HTML: no boxes to format.
    expect(flagsOf(command('report'))).toEqual(expect.arrayContaining(shared.filter((f) => f !== '--box-format')));
  });

  it("prints core's defaults in its help, not copies of them", () => {
    const help = command('detect').helpInformation().replace(/\s+/g, ' '); // unwrapped
    expect(help).toContain(`default ${DEFAULT_OPTIONS.minFaceSize})`);
    expect(help).toContain(`default ${DEFAULT_OPTIONS.thresholds.join(',')})`);
    expect(help).toContain(`default ${DEFAULT_OPTIONS.nmsThresholds.join(',')})`);
    expect(help).toContain(`default ${DEFAULT_OPTIONS.borderMode}`);
  });
});
