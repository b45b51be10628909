import { MediaPool } from '../../core/media';
import { requireGuildId } from '../args';
import type { CliCommand } from '../command';
import { ExitCode } from '../exitCodes';
import { formatBytes, formatCount, plural } from '../../core/text';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Re-hash a vault\'s media pool and report missing or corrupt files.',
  usage: 'verify <server-id> [--json]',
  description:
    'Reads every file under the vault\'s cas/ folder, hashes it with SHA-256 and compares with its name and recorded size. ' +
    'It does not change the vault, so it can run while a backup is running. Exits 1 when a file is missing or corrupt; ' +
    'the next backup or sync then downloads those files again (while Discord still serves them: attachments of deleted ' +
    'messages are gone, restore those from a copy of the vault).',
  usesVault: true,
  options: {
    json: { type: 'boolean', description: 'Print the report as JSON.' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'verify');
    const vault = ctx.vaultStore().open(guildId, { mode: 'read' });
    try {
      const report = await new MediaPool(vault).verify(ctx.job());
      ctx.progress.done();
      if (args.values.json) {
        ctx.out(JSON.stringify(report, null, 2));
      } else {
        ctx.out(`Checked ${plural(report.checked, 'file')} (${formatBytes(report.bytes)} intact): ${formatCount(report.ok)} ok, ${formatCount(report.missingCount)} missing, ${formatCount(report.corruptCount)} corrupt.`);
        for (const sha of report.missing) ctx.out(`  missing: ${sha}`);
        for (const sha of report.corrupt) ctx.out(`  corrupt: ${sha}`);
        if (report.missingCount + report.corruptCount > 0) ctx.out('The next backup or sync downloads them again, while Discord still serves them.');
      }
      return report.missingCount + report.corruptCount > 0 ? ExitCode.failure : ExitCode.ok;
    } finally {
      vault.close();
    }
  },
};
