import * as readline from 'node:readline';

/**
 * Asks a question on the process's terminal; undefined when stdin is not a terminal (cron, CI,
 * a pipe), so callers say what to set instead of hanging. A secret answer is not echoed.
 */
export async function askOnTerminal(question: string, options: { secret?: boolean } = {}): Promise<string | undefined> {
  const input = process.stdin;
  if (!input.isTTY) return undefined;
  const rl = readline.createInterface({ input, output: process.stderr, terminal: true });
  if (options.secret) {
    // Echo nothing of what is typed; readline writes through _writeToOutput.
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
      if (text.includes(question)) process.stderr.write(question);
    };
  }
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.question(question, resolve);
      rl.on('SIGINT', () => reject(Object.assign(new Error('cancelled'), { code: 'ABORT_ERR' })));
    });
  } finally {
    if (options.secret) process.stderr.write('\n');
    rl.close();
  }
}
