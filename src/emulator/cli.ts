/** `guild-vault emulator`: runs the emulator until SIGINT/SIGTERM and prints how to connect. */
import { startEmulator, type EmulatorOptions } from './index';

export interface EmulatorCliOptions extends EmulatorOptions {
  /** Where to print (default: process.stdout). */
  out?: NodeJS.WritableStream;
  /** Resolve instead of waiting for a signal when aborted (tests). */
  signal?: AbortSignal;
}

export async function runEmulatorCli(options: EmulatorCliOptions = {}): Promise<void> {
  const out = options.out ?? process.stdout;
  const emu = await startEmulator(options);
  const lines = [
    `Discord API emulator listening on ${emu.url}`,
    `  API base URL: ${emu.apiBaseUrl}   (routes under /api/v10)`,
    `  CDN base URL: ${emu.cdnBaseUrl}`,
    `  Bot token:    ${emu.token}`,
    `  Rate limits:  ${options.rateLimits === false ? 'off' : 'on (Discord’s)'}`,
    '  Guilds:',
    ...emu.guildIds.map((id) => `    ${id}  ${emu.world.guild(id)!.guild.name}`),
    'Press Ctrl+C to stop.',
  ];
  out.write(lines.join('\n') + '\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
  });
  await emu.close();
  out.write('Emulator stopped.\n');
}
