// Bundles the in-VS Code suite (test/vscode/suite) for the extension host: one CommonJS file per
// spec plus index.js, `vscode` left to the host and mocha loaded from node_modules.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './toolchain';

export const SUITE_SOURCE_DIR = join(REPO_ROOT, 'test', 'vscode', 'suite');
export const SUITE_OUT_DIR = join(REPO_ROOT, 'dist', 'vscode-test');
/** extensionTestsPath for both runners. */
export const SUITE_ENTRY = join(SUITE_OUT_DIR, 'index.js');

export async function buildSuite(): Promise<void> {
  rmSync(SUITE_OUT_DIR, { recursive: true, force: true });
  const entryPoints = readdirSync(SUITE_SOURCE_DIR)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => join(SUITE_SOURCE_DIR, name));
  await esbuild.build({
    entryPoints,
    outdir: SUITE_OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

if (require.main === module) {
  buildSuite().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
