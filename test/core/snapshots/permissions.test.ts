import * as assert from 'node:assert/strict';
import { basePermissions, channelPermissions, permissionNames, PermissionFlagsBits as P } from '../../../src/core/snapshots/permissions';

const G = '100000000000000001';
const BOT = '300000000000000001';
const roles = [
  { id: G, permissions: String(P.ViewChannel | P.SendMessages) },
  { id: '200000000000000001', permissions: String(P.BanMembers) },
  { id: '200000000000000002', permissions: String(P.Administrator) },
];

describe('permissions computed like Discord', () => {
  it('names bits, oldest bit first, and unknown ones by number', () => {
    assert.deepEqual(permissionNames(String(P.BanMembers | P.SendTTSMessages | P.UseVAD | (1n << 47n))), ['BAN_MEMBERS', 'SEND_TTS_MESSAGES', 'USE_VAD', 'BIT_47']);
    assert.deepEqual(permissionNames('0'), []);
  });

  it('base: @everyone OR the member roles; ADMINISTRATOR and ownership mean everything', () => {
    const base = basePermissions(G, '999999999999999999', BOT, ['200000000000000001'], roles);
    assert.equal(base, P.ViewChannel | P.SendMessages | P.BanMembers);
    const admin = basePermissions(G, '999999999999999999', BOT, ['200000000000000002'], roles);
    assert.ok((admin & P.ManageWebhooks) !== 0n);
    assert.ok((basePermissions(G, BOT, BOT, [], roles) & P.ManageGuild) !== 0n);
  });

  it('channel: @everyone overwrite, then role denies and allows together, then the member overwrite', () => {
    const base = P.ViewChannel | P.SendMessages | P.ReadMessageHistory;
    const hidden = channelPermissions(base, G, BOT, ['200000000000000001'], [{ id: G, type: 0, allow: '0', deny: String(P.ViewChannel) }]);
    assert.equal(hidden & P.ViewChannel, 0n);
    // A role allow beats another role's deny on the same bit.
    const roleAllow = channelPermissions(base, G, BOT, ['200000000000000001', '200000000000000003'], [
      { id: G, type: 0, allow: '0', deny: String(P.ViewChannel) },
      { id: '200000000000000001', type: 0, allow: '0', deny: String(P.ViewChannel) },
      { id: '200000000000000003', type: 0, allow: String(P.ViewChannel), deny: '0' },
    ]);
    assert.notEqual(roleAllow & P.ViewChannel, 0n);
    // The member's own overwrite comes last.
    const member = channelPermissions(base, G, BOT, ['200000000000000003'], [
      { id: '200000000000000003', type: 0, allow: String(P.ReadMessageHistory), deny: '0' },
      { id: BOT, type: 1, allow: '0', deny: String(P.ReadMessageHistory) },
    ]);
    assert.equal(member & P.ReadMessageHistory, 0n);
    // Overwrites do not apply to administrators.
    assert.notEqual(channelPermissions(P.Administrator, G, BOT, [], [{ id: G, type: 0, allow: '0', deny: String(P.ViewChannel) }]) & P.ViewChannel, 0n);
  });
});
