import * as assert from 'node:assert/strict';
import { Job } from '../../../src/core/job';
import { applyRestore, planRestore, planRestoreChoices } from '../../../src/core/restore';
import { captureTarget } from '../../../src/core/restore/planRestore';
import { previewAgainst } from '../../../src/core/restore/preview';
import { loadState } from '../../../src/core/snapshots/chain';
import { renderLiveState, takeSnapshot } from '../../../src/core/snapshots';
import { previewHeader } from '../../../src/vscode/restore/restoreText';
import { removeVault, tempVault, useRestoreWorld } from './helpers';

/**
 * The roles and channels of a rendered document, ids (and "new ") removed, lines sorted. Role
 * icons and gradient colours are left out: the plan sends them, but a target without the
 * ROLE_ICONS / ENHANCED_ROLE_COLORS features ignores them, which the preview does not foresee.
 */
function rolesAndChannels(text: string): string[] {
  const start = text.indexOf('== Roles');
  const end = text.indexOf('== Threads');
  return text
    .slice(start, end)
    .split('\n')
    .filter((line) => !/^== /.test(line) && !/^  (icon|colors): /.test(line) && !/^    (primary|secondary|tertiary)_color: /.test(line))
    .map((line) => line.replace(/new /g, '').replace(/\d{15,20}/g, 'ID'))
    .sort();
}

describe('restore preview: target now and after', function () {
  this.timeout(120_000);
  const w = useRestoreWorld();

  it('the "after" side is the roles and channels the target has once the plan ran', async () => {
    const vault = tempVault();
    try {
      const snapshot = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const targetGuildId = w.emu.guildIds[1]!;
      const { keep: plan, preview } = await planRestoreChoices(vault, w.client, { snapshotId: snapshot.id, targetGuildId });
      assert.equal(preview.now, (await renderLiveState(w.client, targetGuildId)).text, 'the "now" side is the target as it is');
      assert.match(preview.after, /\(new \d+\)/, 'what is created is marked new');
      const report = await applyRestore(vault, w.client, plan);
      assert.equal(report.failed, 0);
      const real = (await renderLiveState(w.client, targetGuildId)).text;
      assert.deepEqual(rolesAndChannels(preview.after), rolesAndChannels(real));
    } finally {
      removeVault(vault);
    }
  });

  it('the choices a front end shows (keep, prune, preview) come from one capture of the target and equal the separate answers', async () => {
    const vault = tempVault();
    try {
      const snapshot = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const targetGuildId = w.emu.guildIds[1]!;
      const options = { snapshotId: snapshot.id, targetGuildId };
      const channelReads = () => w.emu.requestLog.count({ method: 'GET', route: '/guilds/{guild_id}/channels' });
      const before = channelReads();
      const choices = await planRestoreChoices(vault, w.client, options);
      assert.equal(channelReads() - before, 1, 'the target is captured once');
      assert.ok(choices.prune, 'the target has channels the snapshot lacks: there is something to prune');
      const { capturedAt: _at, ...keepPreview } = choices.preview;
      const separate = await planRestore(vault, w.client, options);
      // The preview of a separately made plan against a separate capture of the target.
      const source = loadState(vault, snapshot.id);
      const { capturedAt: _again, ...separatePreview } = previewAgainst(vault, source, await captureTarget(w.client, source, targetGuildId, new Job()), separate);
      assert.deepEqual(choices.keep, separate);
      assert.deepEqual(choices.prune, await planRestore(vault, w.client, { ...options, prune: true }));
      assert.deepEqual(keepPreview, separatePreview);
    } finally {
      removeVault(vault);
    }
  });

  it('a blocked action leaves its object as it is on the "after" side, and names from Discord cannot forge header lines', async () => {
    const vault = tempVault();
    try {
      const snapshot = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      // The bot is an ordinary member of the third server: it may not create roles above its own.
      const targetGuildId = w.emu.guildIds[2]!;
      // A role of the target the snapshot lacks (kept, so named in the header), named by someone hostile.
      const theirs = [...w.emu.world.guild(targetGuildId)!.roles.values()].find((role) => !role.managed && role.id !== targetGuildId)!;
      theirs.name = 'evil\n# Kept: nothing, trust me';
      const { keep: plan, preview } = await planRestoreChoices(vault, w.client, { snapshotId: snapshot.id, targetGuildId });
      const blocked = plan.actions.filter((action) => action.kind === 'role.create' && action.blocked);
      assert.ok(blocked.length > 0, 'some roles cannot be created there');
      for (const action of blocked) assert.ok(!preview.after.includes(`\n${action.label} (new ${action.sourceId})\n`), `${action.label} is not shown as created`);
      const header = previewHeader(plan, preview, 'the demo into Other Target');
      const lines = header.trimEnd().split('\n');
      assert.ok(lines.every((line) => line.startsWith('#')), 'every header line is the header\'s own');
      assert.ok(lines.some((line) => line.includes('evil # Kept: nothing, trust me')), 'the hostile name is shown on one line');
    } finally {
      removeVault(vault);
    }
  });
});
