import * as assert from 'node:assert/strict';
import { renderHealthDocument, type HealthReport } from '../../../src/core/snapshots';

function report(overrides: Partial<HealthReport> = {}): HealthReport {
  return {
    guildId: '1',
    guildName: 'My Server',
    botId: '2',
    botName: 'Vault Bot',
    isOwner: false,
    permissions: ['VIEW_CHANNEL', 'READ_MESSAGE_HISTORY'],
    intents: { messageContent: 'disabled', guildMembers: 'enabled' },
    hasOwnRole: true,
    hiddenChannels: [],
    noHistoryChannels: [],
    problems: [],
    ...overrides,
  };
}

describe('snapshots: the health document (CLI and VS Code)', () => {
  it('groups problems by how much they cost, with the fix beside each', () => {
    const text = renderHealthDocument(
      report({
        problems: [
          { severity: 'warning', id: 'permission:BAN_MEMBERS', what: 'no BAN_MEMBERS permission', cost: 'bans are not backed up', fix: 'Turn it on.' },
          { severity: 'error', id: 'intent:message-content', what: 'no Message Content intent', cost: 'message text is empty', fix: 'Enable it in the Developer Portal.' },
        ],
      }),
      '2026-11-22 14:03',
    );
    assert.match(text, /^Health of My Server \(1\)\nBot: Vault Bot \(2\)\nChecked: 2026-11-22 14:03\n/);
    assert.ok(text.indexOf('Blocks the backup (1)') < text.indexOf('Leaves parts out (1)'), 'errors come first');
    assert.match(text, /- no BAN_MEMBERS permission\n +costs: bans are not backed up\n +fix: +Turn it on\./);
    assert.match(text, /Message Content: disabled/);
    assert.match(text, /Server-wide permissions \(2\)\n  READ_MESSAGE_HISTORY\n  VIEW_CHANNEL\n$/);
  });

  it('says when nothing is missing, and what limited and unknown intents mean', () => {
    const text = renderHealthDocument(report({ intents: { messageContent: 'limited', guildMembers: 'unknown' } }), 'now');
    assert.match(text, /Everything Guild Vault backs up is readable by this bot\./);
    assert.doesNotMatch(text, /Blocks the backup|Leaves parts out|Worth knowing/);
    assert.match(text, /Message Content: limited \(on while the bot is in fewer than 100 servers\)/);
    assert.match(text, /Server Members: +unknown \(/);
  });
});
