import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

let built: string | undefined;

/**
 * The job worker as VS Code runs it: dist/jobWorker.js, bundled by the
 * project's own build (scripts/build.mjs), built once per benchmark run so it
 * is never stale. Run from source instead, every worker would first transpile
 * the engine with tsx (about 250 ms a start here), which no user pays.
 */
export function shippedWorkerEntry(): string {
  if (built) return built;
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const entry = path.join(ROOT, 'dist', 'jobWorker.js');
  if (!fs.existsSync(entry)) throw new Error(`the build made no ${entry}`);
  return (built = entry);
}
