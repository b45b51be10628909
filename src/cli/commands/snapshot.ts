import { withGuildVault } from '../../core/jobs/guildVaultJob';
import { DEFAULT_RETENTION, SNAPSHOT_KINDS, takeSnapshot, type SnapshotKind } from '../../core/snapshots';
import { captureGaps } from '../../presentation/snapshotText';
import { integerOption, requireGuildId, stringOption, usageError } from '../args';
import type { CliCommand } from '../command';
import { formatChangeSummary, formatCount } from '../../core/text';

export const snapshotCommand: CliCommand = {
  name: 'snapshot',
  summary: "Take a snapshot of a server's structure (roles, channels, overwrites, bans, ...).",
  usage: 'snapshot <server-id> [--label TEXT] [--kind manual|automatic|pre-restore] [--keep N] [--active-threads-only] [--json]',
  description:
    'Reads the server\'s structure through the API and appends it to the vault\'s snapshot chain: only what was ' +
    'created, changed or deleted since the last snapshot is stored, so an unchanged server adds almost nothing. ' +
    'What the bot may not read (bans without BAN_MEMBERS, member roles without the Server Members intent, ...) is ' +
    'recorded as not captured and keeps its previous state. Afterwards the oldest unpinned snapshots beyond --keep are ' +
    'merged away. Run it from cron for scheduled snapshots (--kind automatic): an automatic snapshot of an unchanged ' +
    'server is not stored, the newest snapshot\'s last-checked time moves instead.',
  usesDiscord: true,
  usesVault: true,
  options: {
    label: { type: 'string', valueName: 'TEXT', description: 'A label to remember it by, e.g. "before the cleanup".' },
    kind: { type: 'string', valueName: 'KIND', description: 'manual (default), automatic or pre-restore ("snapshots import" makes import ones).' },
    keep: { type: 'string', valueName: 'N', description: `Keep this many snapshots; older unpinned ones are pruned (default ${DEFAULT_RETENTION}).` },
    'active-threads-only': { type: 'boolean', description: 'Read only active threads (saves one or two requests per channel); archived ones keep their last state.' },
    json: { type: 'boolean', description: 'Print the new snapshot as JSON.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'snapshot');
    const kind = (stringOption(args, 'kind') ?? 'manual') as SnapshotKind;
    const kinds: readonly SnapshotKind[] = SNAPSHOT_KINDS.filter((k) => k !== 'import');
    if (!kinds.includes(kind)) throw usageError(`Unknown kind "${kind}".`, `Use one of: ${kinds.join(', ')}.`);
    const keep = integerOption(args, 'keep', DEFAULT_RETENTION)!;
    if (keep < 1) throw usageError('--keep must be at least 1.', 'For example --keep 30.');
    const client = ctx.client();
    const job = ctx.job();
    const taken = await withGuildVault(ctx.vaultStore(), client, guildId, { purpose: 'snapshot' }, job, (vault) =>
      takeSnapshot(vault, client, guildId, { kind, label: stringOption(args, 'label'), retention: keep, archivedThreads: args.values['active-threads-only'] !== true }, job),
    );
    if (args.values.json) {
      ctx.out(JSON.stringify(taken, null, 2));
      return;
    }
    if (!taken.stored) {
      ctx.out(`No change since snapshot #${taken.id}: nothing stored (an automatic snapshot of an unchanged server only moves #${taken.id}'s last-checked time).`);
      return;
    }
    ctx.out(`Snapshot #${taken.id} (${taken.kind}${taken.label ? `, "${taken.label}"` : ''}): ${formatChangeSummary(taken.summary)}`);
    for (const gap of captureGaps(taken)) ctx.out(`  ${gap}`);
    if (taken.media.stored || taken.media.failed) ctx.out(`  images: ${formatCount(taken.media.stored)} stored, ${formatCount(taken.media.failed)} failed`);
    if (taken.pruned.length) ctx.out(`  pruned: ${taken.pruned.map((id) => `#${id}`).join(', ')} (keeping ${keep})`);
  },
};
