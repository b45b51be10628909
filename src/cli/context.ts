import * as path from 'node:path';
import { DEFAULTS } from '../core/defaults';
import { DiscordClient } from '../core/discord';
import { GuildVaultError } from '../core/errors';
import { Job } from '../core/job';
import { currentSelection, parseEngineChoice, selectEngine, VaultStore, type EngineChoice } from '../core/vault';
import { formatDuration, Redactor } from '../core/text';
import { terminalSafe } from '../presentation/terminalText';
import { stringOption, usageError } from './args';
import type { ParsedArgs } from './command';
import { ProgressLine, type ProgressStream } from './progress';


/** The process around a command: streams, environment, working directory. Tests pass their own. */
export interface CliIO {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where a confirmation is read from; only a terminal (isTTY) is ever asked. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * What a command gets: resolved global options, output that never shows the
 * token, a Discord client built from DISCORD_TOKEN, the vault store, the
 * cancel signal (Ctrl+C) and a Job wired to the progress line.
 */
export class CliContext {
  readonly apiBaseUrl: string;
  readonly cdnBaseUrl: string;
  readonly vaultDir: string;
  /** The engine asked for by --engine or GUILD_VAULT_ENGINE; undefined: automatic. */
  readonly engineChoice: EngineChoice | undefined;
  readonly progress: ProgressLine;
  /** The token and any passphrase of this run, and anything token-shaped, never reach an output line. */
  private readonly redactor = new Redactor();

  constructor(
    readonly io: CliIO,
    args: ParsedArgs,
    readonly signal: AbortSignal,
  ) {
    this.apiBaseUrl = resolveBaseUrl('--api', stringOption(args, 'api') ?? io.env.GUILD_VAULT_API, DEFAULTS.apiBaseUrl);
    this.cdnBaseUrl = resolveBaseUrl('--cdn', stringOption(args, 'cdn') ?? io.env.GUILD_VAULT_CDN, DEFAULTS.cdnBaseUrl);
    this.vaultDir = path.resolve(io.cwd, stringOption(args, 'vault') ?? io.env.GUILD_VAULT_DIR ?? DEFAULTS.cliVaultFolder);
    const engine = stringOption(args, 'engine') ?? io.env.GUILD_VAULT_ENGINE;
    try {
      this.engineChoice = engine ? parseEngineChoice(engine, stringOption(args, 'engine') ? '--engine' : 'GUILD_VAULT_ENGINE') : undefined;
    } catch (error) {
      throw usageError((error as Error).message, 'Use --engine auto, native or wasm.');
    }
    this.progress = new ProgressLine(io.stderr);
    const token = io.env.DISCORD_TOKEN?.trim();
    if (token) this.redactor.add(token);
  }

  /** A result line on stdout. */
  out(line = ''): void {
    // On a terminal both streams share the screen: lift the progress line first.
    this.progress.around(() => this.io.stdout.write(`${this.scrub(line)}\n`));
  }

  /**
   * A result line with parts in bold on a terminal. Each part is scrubbed on its
   * own and the CLI's own codes added after, so the bold is shown while control
   * characters in the text are not (scrubbing the whole line would show the bold
   * codes as "\u001b[1m"). Elsewhere, or if redaction reaches across a part, plain.
   */
  outWithBold(parts: ReadonlyArray<{ text: string; marked: boolean }>): void {
    const plain = parts.map((part) => part.text).join('');
    const scrubbed = parts.map((part) => this.scrub(part.text));
    if (this.io.stdout.isTTY !== true || scrubbed.join('') !== this.scrub(plain)) return this.out(plain);
    const line = scrubbed.map((text, i) => (parts[i]!.marked ? `${BOLD}${text}${NORMAL}` : text)).join('');
    this.progress.around(() => this.io.stdout.write(`${line}\n`));
  }

  /** A message line on stderr (above the progress line). */
  err(line: string): void {
    this.progress.note(this.scrub(line));
  }

  /** The bot token from DISCORD_TOKEN; never from a flag (flags leak into shell history and `ps`). */
  token(): string {
    const token = this.io.env.DISCORD_TOKEN?.trim();
    if (!token) {
      throw new GuildVaultError(
        'INVALID_TOKEN',
        'DISCORD_TOKEN is not set.',
        'Put the bot token in the DISCORD_TOKEN environment variable (e.g. `read -rs DISCORD_TOKEN && export DISCORD_TOKEN`); it is never taken as a flag, which would leak into shell history.',
      );
    }
    return token;
  }

  /** A Discord client for --api/--cdn with DISCORD_TOKEN; its rate-limit waits and retries show on the progress line. */
  client(options: { token?: string; apiBaseUrl?: string; cdnBaseUrl?: string } = {}): DiscordClient {
    const token = options.token ?? this.token();
    this.redactor.add(token);
    const client = new DiscordClient({ token, apiBaseUrl: options.apiBaseUrl ?? this.apiBaseUrl, cdnBaseUrl: options.cdnBaseUrl ?? this.cdnBaseUrl });
    client.events.on('rateLimited', (event) => {
      this.progress.rateLimited(event.waitMs);
      // A 429 Discord answered (not a wait its headers announced): say why the job waits.
      if (event.reason) this.log('warn', `waiting ${formatDuration(event.waitMs)} before retrying ${event.method} ${event.route}: ${event.reason}`);
    });
    client.events.on('retry', (event) => this.log('warn', `retrying ${event.method} ${event.route} (attempt ${event.attempt}, ${event.reason})`));
    return client;
  }

  /**
   * Loads the storage engine before a command opens a vault (the WASM one
   * compiles asynchronously). Without a choice, an engine this process already
   * selected is kept; the debug log says which and why.
   */
  async useEngine(): Promise<void> {
    const selection = !this.engineChoice && currentSelection() ? currentSelection()! : await selectEngine(this.engineChoice ?? 'auto');
    this.log('info', `storage engine: ${selection.engine.description}; ${selection.reason}`);
  }

  vaultStore(): VaultStore {
    return new VaultStore(this.vaultDir);
  }

  /** A Job for engine calls: the cancel signal (Ctrl+C), the progress line and the log. */
  job(): Job {
    return new Job({
      signal: this.signal,
      onProgress: (progress) => this.progress.update(progress),
      log: (level, message) => this.log(level, message),
    });
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    if (level === 'debug' && !this.io.env.GUILD_VAULT_DEBUG) return;
    if (level === 'info' && !this.io.env.GUILD_VAULT_DEBUG) return;
    this.err(level === 'warn' || level === 'error' ? `${level}: ${message}` : message);
  }

  /** Remembers a secret (a passphrase) so that no output line can show it; returns it. */
  keepSecret(secret: string): string {
    return this.redactor.add(secret);
  }

  /**
   * Text made fit for the terminal: every secret the process knows and
   * anything token-shaped redacted, and control characters (from names and
   * content Discord sent) shown as escapes instead of acted on.
   */
  scrub(text: string): string {
    return terminalSafe(this.redactor.redact(text));
  }
}

const BOLD = '\x1b[1m';
const NORMAL = '\x1b[22m';

function resolveBaseUrl(flag: string, value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw usageError(`${flag} "${value}" is not an http(s) URL.`, `Give a base URL like ${flag} ${fallback}.`);
  }
  return value.replace(/\/+$/, '');
}

