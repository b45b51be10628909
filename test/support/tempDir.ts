import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made = new Set<string>();

/**
 * A fresh folder under the system's temp folder, removed when the test
 * process exits, whether the test passed, failed or forgot to clean up (a
 * vault still open is no obstacle on exit). Tests that remove theirs earlier
 * may; the exit sweep skips what is gone.
 */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (made.size === 0) process.once('exit', removeAll);
  made.add(dir);
  return dir;
}

function removeAll(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  made.clear();
}
