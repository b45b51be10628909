// Runs the VS Code server bundled in code-server (its server-main.js, not the code-server CLI) on
// 127.0.0.1 with throw-away data folders. Its extension host starts only when a workbench
// connects (see workbench.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Toolchain } from './toolchain';

export interface VsCodeServer {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  port: number;
  /** `vscode-remote://127.0.0.1:PORT/abs/path`: how the workbench names a file on this machine. */
  remoteUri(absolutePath: string): string;
  /** Everything the server printed, for diagnosing a failure. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Folder that receives the server's data, user data and extensions folders. */
  dataDir: string;
  /** Extra environment for the server; its extension host inherits it. */
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /**
   * --enable-smoke-test-driver (default on): needed for the payload's extensionTestsPath, but it
   * also keeps notifications out of toasts (they go to the notifications center only).
   */
  smokeTestDriver?: boolean;
}

export async function startVsCodeServer(toolchain: Toolchain, options: StartServerOptions): Promise<VsCodeServer> {
  const dirs = { server: join(options.dataDir, 'server-data'), user: join(options.dataDir, 'user-data'), extensions: join(options.dataDir, 'extensions') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const args = [
    toolchain.serverMain,
    '--host', '127.0.0.1',
    '--port', '0',
    '--without-connection-token',
    '--accept-server-license-terms',
    ...(options.smokeTestDriver === false ? [] : ['--enable-smoke-test-driver']),
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--server-data-dir', dirs.server,
    '--user-data-dir', dirs.user,
    '--extensions-dir', dirs.extensions,
  ];
  const child = spawn(toolchain.node, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() ends the extension host and watchers with it
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`)), options.startTimeoutMs ?? 60_000);
    const onData = (): void => {
      const match = /Web UI available at https?:\/\/[^:\s]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`VS Code server exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    remoteUri: (absolutePath) => `vscode-remote://127.0.0.1:${port}${encodeURI(absolutePath)}`,
    output: () => output,
    stop: () => stopProcessGroup(child),
  };
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // The extension host may outlive the server by a moment; make sure the group is gone.
  signalGroup('SIGKILL');
}
