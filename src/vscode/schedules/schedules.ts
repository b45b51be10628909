import { archiveRunHistory } from '../engine';
import { runBackup } from '../commands/backupCommands';
import { takeAndPrune } from '../commands/snapshotCommands';
import { snapshotsOf } from '../commands/targets';
import { isSnapshotDue, isBackupDue } from '../../presentation/schedule';
import { readSettings } from '../settings/settings';
import type { Services } from '../services';
import { IntervalSchedule } from './intervalSchedule';

/** `guildVault.snapshots.autoIntervalHours`: a structure snapshot of each server with a vault. */
export function automaticSnapshots(services: Services): IntervalSchedule {
  return new IntervalSchedule(services, {
    name: 'Automatic snapshots',
    setting: 'snapshots.autoIntervalHours',
    intervalHours: () => readSettings().autoSnapshotIntervalHours,
    isDue: (server, hours, now) => isSnapshotDue(snapshotsOf(services, server).sort((a, b) => b.id - a.id)[0]?.createdAt, hours, now),
    run: async (server) => Boolean(await takeAndPrune(services, server, 'automatic', undefined, true)),
  });
}

/** `guildVault.backup.autoIntervalHours`: the full backup (snapshot + message sync) of each server with a vault. */
export function scheduledBackups(services: Services): IntervalSchedule {
  return new IntervalSchedule(services, {
    name: 'Scheduled backups',
    setting: 'backup.autoIntervalHours',
    intervalHours: () => readSettings().autoBackupIntervalHours,
    isDue: (server, hours, now) => isBackupDue(services.vaults.read(server.guildId, (vault) => archiveRunHistory(vault).latest?.startedAt), hours, now),
    run: async (server) => Boolean(await runBackup(services, server, { background: true, kind: 'automatic' })),
  });
}
