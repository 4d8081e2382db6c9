import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { buildOnnxModels, ONNX_IR_VERSION, ONNX_OPSET, type InputLayout } from '@mtcnn/backend-onnx';
import { loadWeights, WEIGHTS_SHA256 } from '@mtcnn/models/node';
import type { Io } from './program.js';

export interface ExportOnnxOptions {
  inputLayout?: InputLayout;
  /** Directory of the weight files; default: the copy inside `@mtcnn/models`. */
  weightsDir?: string;
}

export interface ExportOnnxResult {
  files: { network: 'pnet' | 'rnet' | 'onet'; path: string; bytes: number }[];
  ir_version: number;
  opset: number;
  input_layout: InputLayout;
  weights_sha256: string;
}

/** Writes `pnet.onnx`, `rnet.onnx` and `onet.onnx` (built from the verified weights) into `dir`. */
export async function exportOnnx(dir: string, options: ExportOnnxOptions = {}): Promise<ExportOnnxResult> {
  const inputLayout = options.inputLayout ?? 'nchw';
  const models = buildOnnxModels(await loadWeights({ dir: options.weightsDir }), { inputLayout });
  await mkdir(dir, { recursive: true });
  const files: ExportOnnxResult['files'] = [];
  for (const network of ['pnet', 'rnet', 'onet'] as const) {
    const path = resolve(join(dir, `${network}.onnx`));
    await writeFile(path, models[network]);
    files.push({ network, path, bytes: models[network].byteLength });
  }
  return {
    files,
    ir_version: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    input_layout: inputLayout,
    weights_sha256: WEIGHTS_SHA256,
  };
}

/** `mtcnn export-onnx <dir>`: prints what it wrote as JSON. */
export function registerExportOnnx(program: Command, io: Pick<Io, 'stdout'>): void {
  program
    .command('export-onnx')
    .description(
      'Write the three networks as ONNX models (pnet.onnx, rnet.onnx, onet.onnx) into <dir>, for use in other tools.',
    )
    .argument('<dir>', 'output directory (created if missing; existing files are replaced)')
    .addOption(
      new Option('--input-layout <layout>', 'input tensor layout: [N,3,H,W] or [N,H,W,3]')
        .choices(['nchw', 'nhwc'])
        .default('nchw'),
    )
    .option('--weights-dir <dir>', 'directory of the weight files (default: the copy inside @mtcnn/models)')
    .action(async (dir: string, o: { inputLayout: InputLayout; weightsDir?: string }) => {
      const written = await exportOnnx(dir, { inputLayout: o.inputLayout, weightsDir: o.weightsDir });
      io.stdout(`${JSON.stringify(written, null, 2)}\n`);
    });
}
