#!/usr/bin/env node
/**
 * Compiles src/wasm/area.wat (WebAssembly text, SIMD) with wabt into src/wasm/area-wasm.ts, the
 * module's bytes as base64, so that the package needs no .wasm file to load or bundle.
 * Run after editing area.wat: `node packages/core/scripts/build-wasm.mjs`; with `--check` it only
 * verifies that the committed bytes are this compilation of the committed text (a test runs that).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

const dir = fileURLToPath(new URL('../src/wasm/', import.meta.url));

/** The module's bytes, compiled from `wat` (the text of area.wat). */
export async function compileAreaWat(wat) {
  const w = await wabt();
  const module = w.parseWat('area.wat', wat, { simd: true });
  module.validate();
  const { buffer } = module.toBinary({ log: false, write_debug_names: false });
  module.destroy();
  return buffer;
}

/** The generated TypeScript module holding `bytes`. */
function areaWasmTs(bytes) {
  return (
    `// Written by packages/core/scripts/build-wasm.mjs from area.wat: do not edit.\n` +
    `/** The area-resampling WebAssembly module (area.wat), ${bytes.length} bytes, base64. */\n` +
    `export const AREA_WASM_BASE64 =\n  '${Buffer.from(bytes).toString('base64')}';\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ts = areaWasmTs(await compileAreaWat(readFileSync(`${dir}area.wat`, 'utf8')));
  if (process.argv.includes('--check')) {
    // Used by a test: the committed module is the compilation of the committed text.
    if (readFileSync(`${dir}area-wasm.ts`, 'utf8') !== ts) {
      console.error('src/wasm/area-wasm.ts is not the compilation of src/wasm/area.wat: run scripts/build-wasm.mjs');
      process.exit(1);
    }
    console.log('src/wasm/area-wasm.ts is up to date');
  } else {
    writeFileSync(`${dir}area-wasm.ts`, ts);
    console.log('wrote src/wasm/area-wasm.ts');
  }
}
