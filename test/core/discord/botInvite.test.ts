import * as assert from 'node:assert/strict';
import { backupPermissionBits, botInviteUrl } from '../../../src/core/discord/botInvite';

describe('discord: bot invite link', () => {
  it('asks for the read permissions a full backup needs and nothing that writes messages', () => {
    const url = new URL(botInviteUrl('123456789012345678'));
    assert.equal(url.searchParams.get('client_id'), '123456789012345678');
    assert.equal(url.searchParams.get('scope'), 'bot');
    assert.equal(url.searchParams.get('permissions'), '17716806692');
    const SEND_MESSAGES = 1n << 11n;
    const ADMINISTRATOR = 1n << 3n;
    assert.equal(backupPermissionBits() & (SEND_MESSAGES | ADMINISTRATOR), 0n);
  });
});
