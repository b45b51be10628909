// Bundles the extension, its job worker and the CLI with esbuild. All are CommonJS
// for Node; `vscode` is provided by the extension host, `node:*` built-ins by Node.
// The job worker (src/workers/jobWorker.ts) must sit beside extension.js: the
// extension starts it from there (JobWorkers) and the .vsix ships it (.vscodeignore).
// sql.js (the WASM storage engine) is bundled too, and its .wasm is copied
// beside the bundles, where src/core/vault/engine/sqlJs.ts looks first: the
// .vsix and the CLI need no node_modules and download nothing at run time.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
// `--production` (vsce's prepublish): no source maps, so the .vsix carries none.
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  logLevel: 'info',
};

const builds = [
  // VS Code 1.86, the oldest supported (package.json engines.vscode), runs Node 18.17.
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], target: 'node18' },
  { ...common, entryPoints: ['src/workers/jobWorker.ts'], outfile: 'dist/jobWorker.js', target: 'node18' },
  { ...common, entryPoints: ['src/cli/entry.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync(wasm, path.join('dist', path.basename(wasm)));

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
