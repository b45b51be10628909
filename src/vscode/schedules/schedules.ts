import { archiveRunHistory, isBackupDue, isSnapshotDue } from '../engine';
import { runBackup } from '../commands/backupCommands';
import { takeAndPrune } from '../commands/snapshotCommands';
import { snapshotsOf } from '../commands/targets';
import { readSettings } from '../settings/settings';
import type { Services } from '../services';
import { IntervalSchedule } from './intervalSchedule';
import { writeOffsiteCopy } from '../bundles/offsiteCopies';

/** `guildVault.snapshots.autoIntervalHours`: a structure snapshot of each server with a vault. */
export function automaticSnapshots(services: Services): IntervalSchedule {
  return new IntervalSchedule(services, {
    name: 'Automatic snapshots',
    setting: 'snapshots.autoIntervalHours',
    intervalHours: () => readSettings().autoSnapshotIntervalHours,
    // checkedAt: an automatic snapshot of an unchanged server is not stored; it moves the newest one's checkedAt.
    isDue: (server, hours, now) => isSnapshotDue(snapshotsOf(services, server).sort((a, b) => b.id - a.id)[0]?.checkedAt, hours, now),
    run: async (server) => {
      const taken = Boolean(await takeAndPrune(services, server, 'automatic', undefined, true));
      if (taken) await writeOffsiteCopy(services, server);
      return taken;
    },
  });
}

/** `guildVault.backup.autoIntervalHours`: the full backup (snapshot + message sync) of each server with a vault. */
export function scheduledBackups(services: Services): IntervalSchedule {
  return new IntervalSchedule(services, {
    name: 'Scheduled backups',
    setting: 'backup.autoIntervalHours',
    intervalHours: () => readSettings().autoBackupIntervalHours,
    isDue: (server, hours, now) => isBackupDue(services.vaults.read(server.guildId, (vault) => archiveRunHistory(vault).latest?.startedAt), hours, now),
    run: async (server) => {
      const backedUp = Boolean(await runBackup(services, server, { background: true, kind: 'automatic' }));
      if (backedUp) await writeOffsiteCopy(services, server);
      return backedUp;
    },
  });
}
