// Bundles the extension and the CLI with esbuild. Both are CommonJS for Node;
// `vscode` is provided by the extension host, `node:*` built-ins by Node itself.
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
  { ...common, entryPoints: ['src/cli/entry.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
