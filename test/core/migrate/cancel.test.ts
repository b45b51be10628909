import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Job } from '../../../src/core/job';
import { migrateMessages } from '../../../src/core/migrate';
import { guildSpecsForSize, startEmulator } from '../../../src/emulator';
import { backedUpAndRestored, clientFor } from './migrationHarness';

describe('migrate: Cancel', function () {
  this.timeout(120_000);

  it('stops within a second while channels wait on the webhook limit, and the next run sends only the rest', async () => {
    const [demo, sandbox] = guildSpecsForSize('demo');
    const emu = await startEmulator({ seed: 51, guilds: [{ ...demo!, messageScale: 0.1 }, { ...sandbox!, botOwnsGuild: true }], rateLimits: false });
    const target = emu.guildIds[1]!;
    const { store, sourceGuildId } = await backedUpAndRestored(emu, target, { restoreThreads: false });
    const vault = store.open(sourceGuildId, { purpose: 'test' });
    try {
      const controller = new AbortController();
      const progress: number[] = [];
      // Discord's 30 a minute per channel: after the first burst every channel waits on its window.
      const run = migrateMessages(vault, clientFor(emu), { targetGuildId: target }, new Job({ signal: controller.signal, onProgress: (p) => progress.push(p.messages ?? 0) }));
      await new Promise((r) => setTimeout(r, 2500));
      const cancelledAt = Date.now();
      controller.abort();
      await assert.rejects(run, (e: Error & { code?: string }) => e.code === 'CANCELLED');
      assert.ok(Date.now() - cancelledAt < 1000, `stopped after ${Date.now() - cancelledAt} ms`);
      const sentBefore = (vault.db.prepare("SELECT count(*) AS n FROM id_map WHERE kind = 'message'").get() as { n: number }).n;
      assert.ok(sentBefore > 0, 'some went before the cancel');

      const rest = await migrateMessages(vault, clientFor(emu), { targetGuildId: target, messagesPerChannelPerMinute: 0 });
      assert.equal(rest.alreadySent + rest.recoveredInFlight, sentBefore);
      const webhookMessages = [...emu.world.guild(target)!.channels.values(), ...emu.world.guild(target)!.threads.values()]
        .reduce((n, c) => n + (emu.world.messageStore(c.id)?.posted.filter((m) => m.webhook_id).length ?? 0), 0);
      assert.equal(webhookMessages, sentBefore + rest.sent, 'nothing twice');
    } finally {
      vault.close();
      await emu.close();
      fs.rmSync(store.root, { recursive: true, force: true });
    }
  });
});
