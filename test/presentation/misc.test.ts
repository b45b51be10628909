import * as assert from 'node:assert/strict';
import { Redactor, REDACTED } from '../../src/presentation/redact';

describe('presentation: token redaction', () => {
  it('removes known tokens and anything shaped like a bot token', () => {
    const redactor = new Redactor();
    const known = 'emulator-token-abcdef123456';
    redactor.add(known);
    assert.equal(redactor.redact(`connecting with ${known}`), `connecting with ${REDACTED}`);
    const shaped = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123';
    assert.equal(redactor.redact(`token ${shaped} failed`), `token ${REDACTED} failed`);
    assert.equal(redactor.redact('Authorization: Bot abcdefghijklmnop1234'), `Authorization: Bot ${REDACTED}`);
    assert.equal(redactor.redact('#general synced 120 messages'), '#general synced 120 messages');
  });
});
