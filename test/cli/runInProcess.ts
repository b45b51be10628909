import * as os from 'node:os';
import { runCli } from '../../src/cli/main';

/** Runs guild-vault in this process with captured output, as a script would see it. */
export async function runCliInProcess(argv: string[], env: Record<string, string> = {}, cwd: string = os.tmpdir(), options: { stdoutIsTTY?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.stdoutIsTTY },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
