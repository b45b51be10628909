import { runEmulatorCli, type EmulatorOptions } from '../../emulator';
import { integerOption, stringOption, usageError } from '../args';
import type { CliCommand } from '../command';

const SIZES = ['demo', 'small', 'large'] as const;

export const emulatorCommand: CliCommand = {
  name: 'emulator',
  summary: 'Run the built-in Discord API emulator on 127.0.0.1 until Ctrl+C (prints URL, token, server ids).',
  usage: 'emulator [--port N] [--seed N] [--size demo|small|large] [--no-rate-limits] [--global-per-second N] [--no-message-content] [--no-members-intent]',
  description:
    'Serves generated Discord servers over Discord\'s HTTP API, with its rate limits, so Guild Vault (the ' +
    'extension or this CLI) can be tried without a bot. Point a client at it with the printed values, e.g. ' +
    'in another terminal:\n\n' +
    '  export DISCORD_TOKEN=<printed token>\n' +
    '  guild-vault servers --api http://127.0.0.1:PORT/api --cdn http://127.0.0.1:PORT/cdn\n\n' +
    'The token is the emulator\'s own and works nowhere else.',
  options: {
    port: { type: 'string', valueName: 'N', description: 'Port to listen on (default: a free one).' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the generated world (default 1): same seed, same servers and ids.' },
    size: { type: 'string', valueName: 'SIZE', description: 'demo (default, about 3,000 messages), small, or large (about a million messages).' },
    'no-rate-limits': { type: 'boolean', description: 'Never answer 429 (rate-limit headers are still sent).' },
    'global-per-second': { type: 'string', valueName: 'N', description: 'Global request limit per second (default 50, Discord\'s).' },
    'no-message-content': { type: 'boolean', description: 'Act as if the bot lacks the Message Content intent.' },
    'no-members-intent': { type: 'boolean', description: 'Act as if the bot lacks the Server Members intent.' },
  },
  async run(ctx, args) {
    const size = stringOption(args, 'size') ?? 'demo';
    if (!(SIZES as readonly string[]).includes(size)) throw usageError(`Unknown size "${size}".`, `Use one of: ${SIZES.join(', ')}.`);
    const globalPerSecond = integerOption(args, 'global-per-second');
    const options: EmulatorOptions = {
      port: integerOption(args, 'port'),
      seed: integerOption(args, 'seed'),
      size: size as (typeof SIZES)[number],
      rateLimits: args.values['no-rate-limits'] ? false : globalPerSecond ? { globalPerSecond } : true,
      intents: { messageContent: !args.values['no-message-content'], guildMembers: !args.values['no-members-intent'] },
    };
    // Stops on Ctrl+C: that is how this command ends, so it exits 0.
    await runEmulatorCli({ ...options, out: ctx.io.stdout as NodeJS.WritableStream, signal: ctx.signal });
  },
};
