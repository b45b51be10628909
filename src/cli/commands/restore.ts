import { checkGuildAccess } from '../../core/connect';
import { GuildVaultError } from '../../core/errors';
import { applyRestore, describeDestructive, describePlan, describeReport, destructiveActions, planRestore, RESTORE_INCLUDES, type RestoreInclude, type RestorePlan } from '../../core/restore';
import { guildIdOption, stringOption, usageError } from '../args';
import type { CliCommand, ParsedArgs } from '../command';
import { confirmOnTerminal } from '../terminalQuestions';
import type { CliContext } from '../context';
import { ExitCode } from '../exitCodes';


function includeOption(args: ParsedArgs): RestoreInclude[] {
  const text = stringOption(args, 'include');
  if (!text) return [];
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  for (const part of parts) {
    if (!RESTORE_INCLUDES.includes(part as RestoreInclude)) throw usageError(`--include: unknown part "${part}".`, `Use a comma-separated list of: ${RESTORE_INCLUDES.join(', ')}.`);
  }
  return parts as RestoreInclude[];
}

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: "Restore a server's structure (roles, channels, overwrites, bans) from a snapshot, showing the plan first.",
  usage: 'restore --snapshot ID --to SERVER_ID [--from SERVER_ID] [--dry-run] [--prune] [--include bans,unbans] [--yes] [--json]',
  description:
    'Compares snapshot ID of the --from server\'s vault (default: the --to server) with the --to server as it is now, ' +
    'prints the ordered plan, then carries it out: roles (with their icons), channels, role order and channel positions, ' +
    'threads and forum posts (name, tags, archived/locked, auto-archive), permission overwrites (the bot\'s own access first, ' +
    'so it never locks itself out), emojis and stickers from the images in the vault, server settings (name, icon, banner, ' +
    'verification, notifications, content filter, AFK, system and rules channels), the welcome screen and onboarding. ' +
    'Roles, channels and overwrites that are not in the snapshot are kept and listed; --prune deletes them. Actions the bot ' +
    "cannot do are listed with the reason (a role at or above the bot's highest role, a managed role, a missing permission, " +
    'a setting Discord keeps for boosted or Community servers) and are not attempted. A plan that deletes, bans or unbans ' +
    'asks for confirmation on a terminal; where there is none (CI, cron) it needs --yes. Restoring into the same server takes ' +
    'a "pre-restore" snapshot first; restoring into another server records which new object belongs to which snapshot ' +
    'object, so running it again after a cancel or failure continues without creating anything twice (an object deleted ' +
    'since is created again). Bans are re-applied only with --include bans; bans made since are lifted only with ' +
    '--include unbans. Messages are not restored. Exits 1 when an action failed.',
  usesDiscord: true,
  usesVault: true,
  options: {
    snapshot: { type: 'string', valueName: 'ID', description: 'The snapshot to restore ("guild-vault snapshots list" shows them).' },
    to: { type: 'string', valueName: 'SERVER_ID', description: 'The server to restore into.' },
    from: { type: 'string', valueName: 'SERVER_ID', description: 'The server whose vault holds the snapshot (default: --to).' },
    'dry-run': { type: 'boolean', description: 'Print the plan and change nothing.' },
    prune: { type: 'boolean', description: 'Also delete the roles, channels (with their messages) and overwrites that are not in the snapshot.' },
    yes: { type: 'boolean', description: 'Confirm deletions, bans and unbans without asking (needed where there is no terminal).' },
    include: { type: 'string', valueName: 'PARTS', description: `Optional parts, comma-separated: ${RESTORE_INCLUDES.join(', ')}.` },
    json: { type: 'boolean', description: 'Print the plan (and the report) as JSON.' },
  },
  async run(ctx, args) {
    const snapshotText = stringOption(args, 'snapshot');
    if (!snapshotText || !/^\d+$/.test(snapshotText)) throw usageError('--snapshot needs a snapshot id.', 'For example --snapshot 3; "guild-vault snapshots list <server-id>" shows them.');
    const targetGuildId = guildIdOption(args, 'to');
    if (!targetGuildId) throw usageError('Missing --to SERVER_ID.', 'Name the server to restore into, e.g. --to 123456789012345678.');
    const sourceGuildId = guildIdOption(args, 'from') ?? targetGuildId;
    const include = includeOption(args);
    const store = ctx.vaultStore();
    if (!store.has(sourceGuildId)) {
      throw new GuildVaultError('VAULT_NOT_FOUND', `There is no vault for server ${sourceGuildId} in ${store.root}.`, 'Back up that server first, or name the vault\'s server with --from and its folder with --vault.');
    }
    const client = ctx.client();
    const job = ctx.job();
    await checkGuildAccess(client.forJob(job), targetGuildId);
    const dryRun = args.values['dry-run'] === true;
    const vault = store.open(sourceGuildId, { mode: dryRun ? 'read' : 'write', purpose: 'restore' });
    try {
      const prune = args.values.prune === true;
      const plan = await planRestore(vault, client, { snapshotId: Number(snapshotText), targetGuildId, include, prune }, job);
      if (dryRun) {
        if (args.values.json) ctx.out(JSON.stringify(plan, null, 2));
        else for (const line of describePlan(plan)) ctx.out(line);
        return;
      }
      if (!args.values.json) for (const line of describePlan(plan)) ctx.out(line);
      const confirmed = await confirmDestructive(ctx, plan, args.values.yes === true);
      const report = await applyRestore(vault, client, plan, { confirmed }, job);
      if (args.values.json) ctx.out(JSON.stringify({ plan, report }, null, 2));
      else for (const line of describeReport(report)) ctx.out(line);
      return report.failed > 0 ? ExitCode.failure : ExitCode.ok;
    } finally {
      vault.close();
    }
  },
};

/** Deletions, bans and unbans are applied only after a yes on the terminal, or with --yes. */
async function confirmDestructive(ctx: CliContext, plan: RestorePlan, yes: boolean): Promise<boolean> {
  const destructive = destructiveActions(plan);
  if (destructive.length === 0) return false;
  const summary = describeDestructive(destructive);
  await confirmOnTerminal(ctx, `This restore will ${summary}. Apply it?`, { yes, what: `This restore (${summary})` });
  return true;
}
