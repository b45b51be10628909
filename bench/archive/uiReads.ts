/**
 * The reads the VS Code UI makes of a vault, timed as the UI makes them (open
 * read-only, read, close): the server row's summary, the Channels list, a
 * channel's transcript months, a transcript month, a snapshot document. The
 * worst of a few runs is what a user may wait with the extension host blocked;
 * anything above a frame (16 ms) runs in a job worker instead (src/workers/jobKinds.ts).
 */
import { listArchivedChannels, listTranscriptMonths, renderTranscript } from '../../src/core/archive';
import { listSnapshots, renderSnapshot, renderSnapshotSections } from '../../src/core/snapshots';
import { Vault } from '../../src/core/vault';
import { readGuildIdentity } from '../../src/core/vault/identity';

export interface UiRead {
  what: string;
  worstMs: number;
  medianMs: number;
  /** Whether VS Code runs this read in a job worker (src/workers/jobKinds.ts) rather than on the extension host. */
  inWorker: boolean;
}

const RUNS = 5;

export function timeUiReads(vaultDir: string): UiRead[] {
  const reads: UiRead[] = [];
  const time = (what: string, read: (vault: Vault) => unknown, inWorker = false) => {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push(timeOnce(vaultDir, read));
    times.sort((a, b) => a - b);
    reads.push({ what, worstMs: times.at(-1)!, medianMs: times[Math.floor(RUNS / 2)]!, inWorker });
  };
  time('server row (identity, snapshot list)', (vault) => [readGuildIdentity(vault), listSnapshots(vault)]);
  time('Channels list (listArchivedChannels)', (vault) => listArchivedChannels(vault));
  const channels = readOnce(vaultDir, (vault) => listArchivedChannels(vault));
  const biggest = [...channels].sort((a, b) => b.messageCount - a.messageCount)[0];
  if (biggest) {
    time(`transcript months of a ${biggest.messageCount.toLocaleString('en-US')}-message channel`, (vault) => listTranscriptMonths(vault, biggest.id), true);
    const months = readOnce(vaultDir, (vault) => listTranscriptMonths(vault, biggest.id));
    // The fullest month is the slowest to render: time each once, then the worst of them again.
    const perMonth = months.map((month) => ({ month, ms: timeOnce(vaultDir, (vault) => renderTranscript(vault, biggest.id, { month })) }));
    const fullest = perMonth.sort((a, b) => b.ms - a.ms)[0];
    if (fullest) time(`transcript of its fullest month (${fullest.month}, of ${months.length})`, (vault) => renderTranscript(vault, biggest.id, { month: fullest.month }), true);
  }
  const snapshot = readOnce(vaultDir, (vault) => listSnapshots(vault).at(-1));
  if (snapshot) {
    time('snapshot document (renderSnapshot)', (vault) => renderSnapshot(vault, snapshot.id));
    time('snapshot sections (renderSnapshotSections)', (vault) => renderSnapshotSections(vault, snapshot.id));
  }
  return reads;
}

function readOnce<T>(vaultDir: string, read: (vault: Vault) => T): T {
  const vault = Vault.open(vaultDir, { mode: 'read' });
  try {
    return read(vault);
  } finally {
    vault.close();
  }
}

function timeOnce(vaultDir: string, read: (vault: Vault) => unknown): number {
  const started = performance.now();
  readOnce(vaultDir, read);
  return performance.now() - started;
}
