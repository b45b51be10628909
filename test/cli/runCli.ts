/** Runs the real CLI (src/cli/entry.ts through tsx) as a child process, the way a shell or cron would. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
const MAIN = path.join(REPO, 'src/cli/entry.ts');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliRunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Node options before the script (e.g. `--require` a preload). */
  nodeArgs?: string[];
  /** Called once the child is running (e.g. to send it SIGINT later). */
  onSpawn?: (child: ChildProcess) => void;
}

export function runCliProcess(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, DISCORD_TOKEN: undefined, GUILD_VAULT_DIR: undefined, GUILD_VAULT_API: undefined, GUILD_VAULT_CDN: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', MAIN, ...args], { cwd: options.cwd ?? REPO, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
    options.onSpawn?.(child);
  });
}
