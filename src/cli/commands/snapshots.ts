import {
  deleteSnapshot,
  listSnapshots,
  pruneSnapshots,
  renderLiveState,
  renderSnapshot,
  renderSnapshotSections,
  setLabel,
  setPinned,
  unifiedDiff,
  getSnapshot,
  exportSnapshot,
  importSnapshot,
  parseSnapshotFile,
  verifyChain,
} from '../../core/snapshots';
import * as fs from 'node:fs';
import { isSealedFile, sealBytes, unsealBytes } from '../../core/bundle';
import { GuildVaultError } from '../../core/errors';
import { passphraseFor } from '../passphrase';
import * as path from 'node:path';
import type { Vault } from '../../core/vault';
import { DEFAULTS } from '../../core/defaults';
import { rangedIntegerOption, requireGuildId, requirePositional, stringOption, usageError } from '../args';
import type { CliCommand, ParsedArgs } from '../command';
import type { CliContext } from '../context';
import { formatSnapshotRow } from './snapshotsFormat';
import { formatChangeSummary, formatCount, plural } from '../../core/text';

function snapshotId(args: ParsedArgs, index: number, command: string): number {
  const text = requirePositional(args, index, 'the snapshot id', `snapshots ${command}`).replace(/^#/, '');
  if (!/^\d+$/.test(text)) throw usageError(`"${text}" is not a snapshot id.`, 'Snapshot ids are numbers, as "guild-vault snapshots list <server-id>" shows them.');
  return Number(text);
}

async function withVault<T>(ctx: CliContext, guildId: string, mode: 'read' | 'write', work: (vault: Vault) => Promise<T> | T): Promise<T> {
  const vault = ctx.vaultStore().open(guildId, { mode, purpose: 'snapshots' });
  try {
    return await work(vault);
  } finally {
    vault.close();
  }
}

const list: CliCommand = {
  name: 'list',
  summary: 'List the snapshots of a server, newest first.',
  usage: 'snapshots list <server-id> [--json]',
  usesVault: true,
  options: { json: { type: 'boolean', description: 'Print JSON.' } },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots list');
    await withVault(ctx, guildId, 'read', (vault) => {
      const snapshots = listSnapshots(vault);
      if (args.values.json) return ctx.out(JSON.stringify(snapshots, null, 2));
      if (snapshots.length === 0) return ctx.out(`No snapshots yet: "guild-vault snapshot ${guildId}" takes one.`);
      for (const snapshot of snapshots) ctx.out(formatSnapshotRow(snapshot));
    });
  },
};

const show: CliCommand = {
  name: 'show',
  summary: 'Print a snapshot as its text document.',
  usage: 'snapshots show <server-id> <snapshot-id> [--section NAME]',
  usesVault: true,
  options: { section: { type: 'string', valueName: 'NAME', description: 'Only one section: settings, roles, channels, members, bans, emojis, stickers, ...' } },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots show');
    const id = snapshotId(args, 1, 'show');
    const section = stringOption(args, 'section');
    await withVault(ctx, guildId, 'read', (vault) => {
      if (!section) return ctx.io.stdout.write(ctx.scrub(renderSnapshot(vault, id)));
      const sections = renderSnapshotSections(vault, id);
      const found = sections.find((s) => s.id === section);
      if (!found) throw usageError(`No section "${section}".`, `Sections: ${sections.map((s) => s.id).join(', ')}.`);
      ctx.io.stdout.write(ctx.scrub(found.text));
    });
  },
};

const diff: CliCommand = {
  name: 'diff',
  summary: 'Show what changed between two snapshots, or between a snapshot and the live server.',
  usage: ['snapshots diff <server-id> <older-id> <newer-id>', 'snapshots diff <server-id> <snapshot-id> live'],
  description: 'Prints a unified diff of the two text documents (nothing when they are the same). "live" reads the server now (needs DISCORD_TOKEN).',
  usesVault: true,
  usesDiscord: true,
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots diff');
    const a = snapshotId(args, 1, 'diff');
    const live = args.positionals[2] === 'live';
    const b = live ? undefined : snapshotId(args, 2, 'diff');
    await withVault(ctx, guildId, 'read', async (vault) => {
      const left = renderSnapshot(vault, a);
      const from = `#${a} ${getSnapshot(vault, a).createdAt}`;
      let right: string;
      let to: string;
      if (b === undefined) {
        const now = await renderLiveState(ctx.client(), guildId, { vault, baseSnapshotId: a }, ctx.job());
        right = now.text;
        to = `live ${now.capturedAt}`;
      } else {
        right = renderSnapshot(vault, b);
        to = `#${b} ${getSnapshot(vault, b).createdAt}`;
      }
      const text = unifiedDiff(left, right, { from, to });
      if (text) ctx.io.stdout.write(ctx.scrub(text));
      else ctx.err('No differences.');
    });
  },
};

const remove: CliCommand = {
  name: 'delete',
  summary: 'Delete a snapshot; its changes merge into the next one, so the others stay intact.',
  usage: 'snapshots delete <server-id> <snapshot-id> [--force]',
  usesVault: true,
  options: { force: { type: 'boolean', description: 'Delete it even if it is pinned.' } },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots delete');
    const id = snapshotId(args, 1, 'delete');
    await withVault(ctx, guildId, 'write', (vault) => {
      deleteSnapshot(vault, id, { allowPinned: args.values.force === true });
      ctx.out(`Deleted snapshot #${id}.`);
    });
  },
};

const pin: CliCommand = {
  name: 'pin',
  summary: 'Pin a snapshot (never pruned, not deleted without --force), or unpin it.',
  usage: 'snapshots pin <server-id> <snapshot-id> [--unpin]',
  usesVault: true,
  options: { unpin: { type: 'boolean', description: 'Unpin instead.' } },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots pin');
    const id = snapshotId(args, 1, 'pin');
    await withVault(ctx, guildId, 'write', (vault) => {
      const info = setPinned(vault, id, args.values.unpin !== true);
      ctx.out(`Snapshot #${info.id} is ${info.pinned ? 'pinned' : 'no longer pinned'}.`);
    });
  },
};

const label: CliCommand = {
  name: 'label',
  summary: 'Set or clear the label of a snapshot.',
  usage: 'snapshots label <server-id> <snapshot-id> [TEXT]',
  usesVault: true,
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots label');
    const id = snapshotId(args, 1, 'label');
    const text = args.positionals.slice(2).join(' ');
    await withVault(ctx, guildId, 'write', (vault) => {
      const info = setLabel(vault, id, text);
      ctx.out(info.label ? `Snapshot #${info.id} is labelled "${info.label}".` : `Snapshot #${info.id} has no label.`);
    });
  },
};

const prune: CliCommand = {
  name: 'prune',
  summary: 'Keep the newest N snapshots (and every pinned one); merge the rest away.',
  usage: 'snapshots prune <server-id> --keep N',
  usesVault: true,
  options: { keep: { type: 'string', valueName: 'N', description: 'How many to keep (required).' } },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots prune');
    const keep = rangedIntegerOption(args, 'keep', DEFAULTS.snapshotRetention);
    if (keep === undefined) throw usageError('--keep is required.', `For example: snapshots prune <server-id> --keep ${DEFAULTS.snapshotRetention.value}.`);
    await withVault(ctx, guildId, 'write', (vault) => {
      const removed = pruneSnapshots(vault, keep);
      ctx.out(removed.length ? `Pruned ${removed.map((s) => `#${s.id} (${formatChangeSummary(s.summary)})`).join(', ')}.` : 'Nothing to prune.');
    });
  },
};

const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Write a snapshot as a self-contained JSON file (stdout, or --out FILE), or encrypted with --encrypt.',
  usage: 'snapshots export <server-id> <snapshot-id> [--out FILE] [--encrypt] [--force]',
  description: '--encrypt writes it sealed with a passphrase (AES-256-GCM, key by scrypt), asked on the terminal or read from GUILD_VAULT_PASSPHRASE; "snapshots import" reads it back with the same passphrase.',
  usesVault: true,
  options: {
    out: { type: 'string', valueName: 'FILE', description: 'Write to this file instead of stdout (never replaced without --force).' },
    encrypt: { type: 'boolean', description: 'Encrypt the file with a passphrase (needs --out).' },
    force: { type: 'boolean', description: 'Replace FILE if it exists.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots export');
    const id = snapshotId(args, 1, 'export');
    const out = stringOption(args, 'out');
    const encrypt = args.values.encrypt === true;
    if (encrypt && !out) throw usageError('--encrypt needs --out FILE.', 'An encrypted snapshot is binary: name the file to write.');
    const target = out ? path.resolve(ctx.io.cwd, out) : undefined;
    if (target && fs.existsSync(target) && args.values.force !== true) throw usageError(`${out} already exists.`, 'Choose another file name, or add --force to replace it.');
    const text = await withVault(ctx, guildId, 'read', (vault) => `${JSON.stringify(exportSnapshot(vault, id), null, 1)}\n`);
    // On stdout it may be a terminal: escaped like every other line (still the same JSON).
    if (!target) return void ctx.io.stdout.write(ctx.scrub(text));
    if (encrypt) await sealBytes(target, Buffer.from(text, 'utf8'), { passphrase: await passphraseFor(ctx, 'new'), force: true });
    else writeFileAtomically(target, text);
    ctx.err(`Wrote snapshot #${id} to ${out}${encrypt ? ', encrypted' : ''}.`);
  },
};

/** Temp file, then rename: a failed write never leaves half a file under the name. */
function writeFileAtomically(target: string, text: string): void {
  const temp = `${target}.partial-${process.pid}`;
  try {
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** A snapshot file's document: sealed files are opened with the passphrase, plain ones parsed as JSON. */
async function readSnapshotFile(ctx: CliContext, file: string): Promise<unknown> {
  const full = path.resolve(ctx.io.cwd, file);
  let text: string;
  try {
    text = isSealedFile(full) ? (await unsealBytes(full, await passphraseFor(ctx, 'existing'))).toString('utf8') : fs.readFileSync(full, 'utf8');
  } catch (error) {
    if (error instanceof GuildVaultError) throw error;
    throw usageError(`Cannot read ${file} (${(error as Error).message}).`, 'Give a file written by "guild-vault snapshots export".');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw usageError(`Cannot read ${file} as JSON (${(error as Error).message}).`, 'Give a file written by "guild-vault snapshots export".');
  }
}

const importCommand: CliCommand = {
  name: 'import',
  summary: 'Add a snapshot file (from "snapshots export", encrypted or not) to the server\'s chain, as kind "import".',
  usage: 'snapshots import <server-id> <file> [--label TEXT]',
  usesVault: true,
  options: { label: { type: 'string', valueName: 'TEXT', description: 'Label for the imported snapshot (default: its original date).' } },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots import');
    const file = requirePositional(args, 1, 'the snapshot file', 'snapshots import');
    const parsed = await readSnapshotFile(ctx, file);
    // Checked before the vault is opened: a file of another server, or a malformed one, creates no vault.
    parseSnapshotFile(parsed, guildId);
    await withVault(ctx, guildId, 'write', (vault) => {
      const info = importSnapshot(vault, parsed, { label: stringOption(args, 'label'), guildId });
      ctx.out(`Imported as snapshot #${info.id} ("${info.label}"): ${formatChangeSummary(info.summary)}`);
    });
  },
};

const verify: CliCommand = {
  name: 'verify',
  summary: 'Check that every stored node matches its hash and every change summary its nodes (read-only).',
  usage: 'snapshots verify <server-id> [--json]',
  usesVault: true,
  options: { json: { type: 'boolean', description: 'Print the report as JSON.' } },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshots verify');
    return withVault(ctx, guildId, 'read', (vault) => {
      const report = verifyChain(vault);
      if (args.values.json) ctx.out(JSON.stringify(report, null, 2));
      else {
        ctx.out(`${plural(report.snapshots, 'snapshot')}, ${plural(report.keys, 'node')}, ${plural(report.versions, 'stored version')}: ${formatCount(report.corrupt.length)} corrupt, ${plural(report.wrongSummaries.length, 'wrong summary', 'wrong summaries')}.`);
        for (const c of report.corrupt) ctx.out(`  corrupt: snapshot #${c.snapshotId} ${c.type} ${c.nodeId}: ${c.problem}`);
        for (const id of report.wrongSummaries) ctx.out(`  wrong change summary: snapshot #${id}`);
      }
      return report.corrupt.length + report.wrongSummaries.length > 0 ? 1 : 0;
    });
  },
};

export const snapshotsCommand: CliCommand = {
  name: 'snapshots',
  summary: 'List, show, diff, delete, pin, label, prune, export, import and verify structure snapshots.',
  usage: 'snapshots list|show|diff|delete|pin|label|prune|export|import|verify <server-id> ...',
  description: 'Works on the vault in --vault; only "diff ... live" talks to Discord.',
  usesVault: true,
  subcommands: [list, show, diff, remove, pin, label, prune, exportCommand, importCommand, verify],
};
