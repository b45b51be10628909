import * as path from 'node:path';
import { createBundle, restoreBundle, verifyBundle, type BundleCheck, type BundleSummary } from '../../core/bundle';
import { readHeader } from '../../core/bundle/container';
import { formatBytes, formatCount, formatUtc, plural } from '../../core/text';
import { requireGuildId, requirePositional, stringOption, usageError } from '../args';
import type { CliCommand } from '../command';
import { passphraseFor } from '../passphrase';

const create: CliCommand = {
  name: 'create',
  summary: 'Write the whole vault of a server (database and media) into one compressed, optionally encrypted file.',
  usage: 'bundle create <server-id> --out FILE [--encrypt] [--since BUNDLE] [--force] [--json]',
  description:
    'The database is copied consistently even while a backup runs. --since writes only the database pages and media files new since an earlier bundle; "bundle restore" then needs every bundle of the chain in one folder. --encrypt asks for a passphrase on the terminal, or reads GUILD_VAULT_PASSPHRASE: lose it and the bundle cannot be read.',
  usesVault: true,
  options: {
    out: { type: 'string', valueName: 'FILE', description: 'The bundle file to write (never replaced without --force).' },
    encrypt: { type: 'boolean', description: 'Encrypt with a passphrase (AES-256-GCM, key by scrypt).' },
    since: { type: 'string', valueName: 'BUNDLE', description: 'An earlier bundle of this server: write only what changed since.' },
    force: { type: 'boolean', description: 'Replace FILE if it exists.' },
    json: { type: 'boolean', description: 'Print what was written as JSON.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'bundle create');
    const out = stringOption(args, 'out');
    if (!out) throw usageError('"bundle create" needs --out FILE.', 'Name the file to write, e.g. --out backups/server.gvbundle.');
    const since = stringOption(args, 'since');
    const store = ctx.vaultStore();
    if (!store.has(guildId)) throw usageError(`There is no vault of server ${guildId} in ${ctx.vaultDir}.`, 'Back it up first, or point --vault at the folder that holds it.');
    const encrypt = args.values.encrypt === true;
    const passphrase = encrypt ? await passphraseFor(ctx, 'new') : undefined;
    const sincePassphrase = since && !encrypt && readHeader(path.resolve(ctx.io.cwd, since)).header.seal ? await passphraseFor(ctx, 'existing') : undefined;
    const summary = await createBundle(store.dirFor(guildId), {
      out: path.resolve(ctx.io.cwd, out),
      passphrase,
      since: since ? path.resolve(ctx.io.cwd, since) : undefined,
      sincePassphrase: sincePassphrase ?? passphrase,
      force: args.values.force === true,
    }, ctx.job());
    if (args.values.json) return ctx.out(JSON.stringify(summary, null, 2));
    ctx.out(describeCreated(summary, out));
  },
};

function describeCreated(summary: BundleSummary, out: string): string {
  const m = summary.manifest;
  const what = m.mode === 'full' ? 'Full bundle' : 'Incremental bundle';
  const db = m.mode === 'full' ? `database ${formatBytes(m.pageCount * m.pageSize)}` : `${plural(m.pagesIncluded, 'changed database page')} of ${formatCount(m.pageCount)}`;
  const media = `${plural(m.mediaIncluded, m.mode === 'full' ? 'media file' : 'new media file')} (${formatBytes(m.mediaBytesIncluded)})`;
  return `${what} of ${m.guildName} (${m.guildId}) written to ${out}: ${db}, ${media}; ${formatBytes(summary.bytes)} on disk, ${summary.compression}${summary.encrypted ? ', encrypted' : ', not encrypted'}.`;
}

const verify: CliCommand = {
  name: 'verify',
  summary: 'Check a bundle without extracting it: every encrypted chunk, every record\'s SHA-256, its end.',
  usage: 'bundle verify <file> [--json]',
  options: { json: { type: 'boolean', description: 'Print what the bundle holds as JSON.' } },
  async run(ctx, args) {
    const file = path.resolve(ctx.io.cwd, requirePositional(args, 0, 'the bundle file', 'bundle verify'));
    const passphrase = readHeader(file, 'vault-bundle').header.seal ? await passphraseFor(ctx, 'existing') : undefined;
    const check = await verifyBundle(file, { passphrase }, ctx.job());
    if (args.values.json) return ctx.out(JSON.stringify(check, null, 2));
    ctx.out(describeCheck(check));
  },
};

function describeCheck(check: BundleCheck): string {
  const m = check.manifest;
  const kind = m.mode === 'full' ? 'a full bundle' : `an incremental bundle (on top of bundle ${check.parentId})`;
  return `OK: ${check.file} is ${kind} of ${m.guildName} (${m.guildId}), written ${formatUtc(check.createdAt)}: ${plural(check.records, 'record')} checked, database ${formatBytes(check.databaseBytes)}, ${plural(check.mediaFiles, 'media file')} (${formatBytes(check.mediaBytes)}), ${check.compression}${check.encrypted ? ', encrypted' : ''}.`;
}

const restore: CliCommand = {
  name: 'restore',
  summary: 'Recreate a vault from a bundle (and the bundles it builds on, from the same folder).',
  usage: 'bundle restore <file> [--vault DIR] [--json]',
  description: 'The vault is written into <vault folder>/<server id>, checked, then moved into place. An existing vault is never written into.',
  usesVault: true,
  options: { json: { type: 'boolean', description: 'Print the result as JSON.' } },
  async run(ctx, args) {
    const file = path.resolve(ctx.io.cwd, requirePositional(args, 0, 'the bundle file', 'bundle restore'));
    const passphrase = readHeader(file, 'vault-bundle').header.seal ? await passphraseFor(ctx, 'existing') : undefined;
    const restored = await restoreBundle(file, { vaultRoot: ctx.vaultDir, passphrase }, ctx.job());
    if (args.values.json) return ctx.out(JSON.stringify(restored, null, 2));
    ctx.out(`Restored the vault of ${restored.guildName} (${restored.guildId}) into ${restored.dir} from ${plural(restored.chain.length, 'bundle')}, with ${plural(restored.mediaFiles, 'media file')}.`);
  },
};

export const bundleCommand: CliCommand = {
  name: 'bundle',
  summary: 'Off-site copies: write a vault into one (encrypted) file, verify it, restore it.',
  usage: ['bundle create <server-id> --out FILE [--encrypt] [--since BUNDLE]', 'bundle verify <file>', 'bundle restore <file>'],
  subcommands: [create, verify, restore],
};

