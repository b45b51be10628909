import * as assert from 'node:assert/strict';
import { renderSections, renderState, unifiedDiff } from '../../../src/core/snapshots/render';
import type { NodeData, NodeType, StructureState } from '../../../src/core/snapshots/types';
import { makeState, random } from './helpers';

const G = '100000000000000001';

function demo(): Partial<Record<NodeType, Record<string, NodeData>>> {
  return {
    guild: { [G]: { id: G, name: 'Demo', verification_level: 2, afk_channel_id: '300000000000000003', afk_timeout: 300, features: ['COMMUNITY'] } },
    role: {
      [G]: { id: G, name: '@everyone', position: 0, permissions: String((1 << 10) | (1 << 11)), color: 0, hoist: false, managed: false, mentionable: false },
      '200000000000000001': { id: '200000000000000001', name: 'Mods', position: 2, permissions: String(1 << 13), color: 0x3498db, hoist: true, managed: false, mentionable: true },
      '200000000000000002': { id: '200000000000000002', name: 'Members', position: 1, permissions: '0', color: 0, hoist: false, managed: false, mentionable: false },
    },
    channel: {
      '300000000000000001': { id: '300000000000000001', name: 'Info', type: 4, position: 0 },
      '300000000000000002': { id: '300000000000000002', name: 'rules', type: 0, position: 0, parent_id: '300000000000000001', topic: 'Be nice.\nReally.', rate_limit_per_user: 10, nsfw: false },
      '300000000000000003': { id: '300000000000000003', name: 'Lounge', type: 2, position: 0, parent_id: '300000000000000001', bitrate: 64000, user_limit: 5, rtc_region: null, video_quality_mode: 1 },
      '300000000000000004': { id: '300000000000000004', name: 'news', type: 5, position: 1, parent_id: '300000000000000001' },
      '300000000000000005': { id: '300000000000000005', name: 'welcome', type: 0, position: 0 },
    },
    overwrite: {
      [`300000000000000002/${G}`]: { channel_id: '300000000000000002', id: G, type: 0, allow: '0', deny: String(1 << 11) },
      '300000000000000002/200000000000000001': { channel_id: '300000000000000002', id: '200000000000000001', type: 0, allow: String(1 << 11), deny: '0' },
      '300000000000000002/400000000000000001': { channel_id: '300000000000000002', id: '400000000000000001', type: 1, allow: String(1 << 13), deny: '0' },
    },
    member: { '400000000000000001': { user: { id: '400000000000000001', username: 'alice' }, roles: ['200000000000000002', '200000000000000001'] } },
    ban: { '400000000000000009': { user: { id: '400000000000000009', username: 'spammer' }, reason: 'spam' } },
  };
}

function shuffled(state: StructureState): StructureState {
  const nodes = new Map([...state.nodes].reverse().map(([type, byId]) => [type, new Map([...byId].reverse())] as const));
  return { ...state, nodes };
}

describe('snapshot rendering', () => {
  it('renders the same state to the same bytes, whatever order it was read in', () => {
    const state = makeState(demo());
    assert.equal(renderState(shuffled(state)), renderState(state));
  });

  it('orders roles by rank, nests channels under categories in Discord order, names overwrites and permissions', () => {
    const text = renderState(makeState(demo()));
    const at = (needle: string) => {
      const index = text.indexOf(needle);
      assert.ok(index >= 0, `missing: ${needle}\n${text}`);
      return index;
    };
    assert.ok(at('@Mods (200000000000000001)') < at('@Members (200000000000000002)'));
    assert.ok(at('@Members (200000000000000002)') < at(`@everyone (${G})\n`));
    assert.ok(at('permissions: MANAGE_MESSAGES') > 0);
    // Uncategorized first, then the category, text-like before voice-like.
    assert.ok(at('#welcome (300000000000000005) text') < at('Info (300000000000000001) category'));
    assert.ok(at('  #rules (300000000000000002) text') < at('  #news (300000000000000004) announcement'));
    assert.ok(at('  #news (300000000000000004) announcement') < at('  Lounge (300000000000000003) voice'));
    // The properties the seed ignored are all there.
    at('    rate_limit_per_user: 10');
    at('    bitrate: 64000');
    at('    user_limit: 5');
    at('    video_quality_mode: 1 (AUTO)');
    at('    topic: "Be nice.\\nReally."');
    at(`    deny @everyone (${G}): SEND_MESSAGES`);
    at('    allow @Mods (200000000000000001): SEND_MESSAGES');
    at('    allow member alice (400000000000000001): MANAGE_MESSAGES');
    at('afk_channel_id: Lounge (300000000000000003)');
    at('verification_level: 2 (MEDIUM)');
    at('alice (400000000000000001): @Mods (200000000000000001), @Members (200000000000000002)'); // by id
    at('spammer (400000000000000009): reason "spam"');
  });

  it('turns a small change into a small diff', () => {
    const before = demo();
    const after = demo();
    after.role!['200000000000000001'] = { ...after.role!['200000000000000001'], color: 0xff0000 };
    // A new role at the bottom shifts every position: the document does not show positions, so one role appears.
    after.role!['200000000000000003'] = { id: '200000000000000003', name: 'New', position: 1, permissions: '0' };
    after.role!['200000000000000001'].position = 3;
    after.role!['200000000000000002'] = { ...after.role!['200000000000000002'], position: 2 };
    const diff = unifiedDiff(renderState(makeState(before)), renderState(makeState(after)));
    const changed = diff.split('\n').filter((line) => /^[+-][^+-]/.test(line));
    assert.deepEqual(changed.sort(), [
      '+  color: #ff0000',
      '+  permissions: (none)',
      '+== Roles (4) ==',
      '+@New (200000000000000003)',
      '-  color: #3498db',
      '-== Roles (3) ==',
    ]);
  });

  it('says which types were not captured and whose data is shown instead', () => {
    const state = makeState(demo(), { ban: { unreadable: 'missing BAN_MEMBERS permission', asOfId: 3, asOfDate: '2026-11-20T10:00:00.000Z' } });
    const bans = renderSections(state).find((s) => s.id === 'bans')!;
    assert.match(bans.text, /\(ban: not captured in this snapshot: missing BAN_MEMBERS permission; shown as of snapshot #3 \(2026-11-20\)\)/);
    assert.match(bans.text, /spammer/);
    assert.deepEqual(
      renderSections(state).map((s) => s.id),
      ['settings', 'roles', 'channels', 'threads', 'members', 'bans', 'emojis', 'stickers', 'soundboard', 'events', 'automod', 'webhooks', 'welcome', 'onboarding'],
    );
  });

  it('writes unified diffs that turn the old text into the new one, deletions first', () => {
    const next = random(5);
    const pick = () => Math.floor(next() * 6);
    for (let trial = 0; trial < 500; trial++) {
      const a = Array.from({ length: pick() * 3 }, () => String(pick()));
      const b = Array.from({ length: pick() * 3 }, () => String(pick()));
      const text = (lines: string[]) => lines.map((line) => `${line}\n`).join('');
      const diff = unifiedDiff(text(a), text(b), { context: 1000 });
      if (a.join() === b.join()) {
        assert.equal(diff, '');
        continue;
      }
      const body = diff.split('\n').slice(2).filter((line) => line && !line.startsWith('@@'));
      assert.deepEqual(body.filter((l) => l[0] !== '+').map((l) => l.slice(1)), a);
      assert.deepEqual(body.filter((l) => l[0] !== '-').map((l) => l.slice(1)), b);
    }
    assert.equal(unifiedDiff('a\nb\nc\n', 'a\nX\nc\n', { from: 'old', to: 'new' }), '--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+X\n c\n');
  });

  it('keeps each name on its line: a name with a line break or a terminal escape cannot forge a line of the document', () => {
    const nodes = demo();
    const forged = '\nallow @everyone (1): ADMINISTRATOR';
    nodes.guild![G]!.name = `Demo\u001b]0;x\u0007${forged}`;
    nodes.role!['200000000000000001']!.name = `Mods${forged}`;
    nodes.channel!['300000000000000005']!.name = `welcome\r${forged}`;
    nodes.webhook = { '500000000000000001': { id: '500000000000000001', name: `hook${forged}`, type: 1, channel_id: '300000000000000005' } };
    nodes.member!['400000000000000001']!.user = { id: '400000000000000001', username: `alice${forged}` };
    const text = renderState(makeState(nodes));
    const lines = text.split('\n');
    assert.deepEqual(lines.filter((l) => l.trim().startsWith('allow @everyone (1)')), [], 'no forged line');
    assert.ok(text.includes('@Mods\\u000aallow @everyone (1): ADMINISTRATOR (200000000000000001)'), 'the name shown whole, its line break as an escape');
    assert.ok(text.includes('Demo\\u001b]0;x\\u0007\\u000aallow'));
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f]/, 'no raw control character');
  });
});
