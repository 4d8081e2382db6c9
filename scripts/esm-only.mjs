// Build step of every published package: writes dist/require.cjs, the target of the `require`
// condition in its exports, so that require() of an ESM-only package fails with a message that
// says what to do (without it, Node >= 20.19 would load the ESM build through require(esm), or
// older tools would print a bare ERR_PACKAGE_PATH_NOT_EXPORTED). Run from the package's folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const { name } = JSON.parse(readFileSync('package.json', 'utf8'));
const message = `${name} is ESM only (Node >= 20.19): use import, or await import('${name}') from CommonJS.`;
mkdirSync('dist', { recursive: true });
writeFileSync(
  'dist/require.cjs',
  `'use strict';\n// ${name} ships ES modules only; see its README.\n` +
    `const error = new Error(${JSON.stringify(message)});\nerror.code = 'ERR_REQUIRE_ESM';\nthrow error;\n`,
);
