import { MediaPool } from '../../core/media';
import { requireGuildId } from '../args';
import type { CliCommand } from '../command';
import { ExitCode } from '../exitCodes';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Re-hash a vault\'s media pool and report missing or corrupt files.',
  usage: 'verify <server-id> [--json]',
  description:
    'Reads every file under the vault\'s cas/ folder, hashes it with SHA-256 and compares with its name and recorded size. ' +
    'Read-only: it can run while a backup is running. Exits 1 when a file is missing or corrupt; a later backup ' +
    'downloads files again only while Discord still serves them, so restore those from a copy of the vault.',
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
        ctx.out(`Checked ${report.checked} files (${(report.bytes / 1048576).toFixed(1)} MB intact): ${report.ok} ok, ${report.missingCount} missing, ${report.corruptCount} corrupt.`);
        for (const sha of report.missing) ctx.out(`  missing: ${sha}`);
        for (const sha of report.corrupt) ctx.out(`  corrupt: ${sha}`);
      }
      return report.missingCount + report.corruptCount > 0 ? ExitCode.failure : ExitCode.ok;
    } finally {
      vault.close();
    }
  },
};
