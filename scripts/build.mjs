// Bundles the extension, its job worker and the CLI with esbuild. All are CommonJS
// for Node; `vscode` is provided by the extension host, `node:*` built-ins by Node.
// The job worker (src/workers/jobWorker.ts) must sit beside extension.js: the
// extension starts it from there (JobWorkers) and the .vsix ships it (.vscodeignore).
import * as esbuild from 'esbuild';

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
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/workers/jobWorker.ts'], outfile: 'dist/jobWorker.js' },
  { ...common, entryPoints: ['src/cli/entry.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
