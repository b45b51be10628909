import * as assert from 'node:assert/strict';
import { errorForResponse } from '../../../src/core/discord/discordApiError';
import { redactRoute } from '../../../src/core/discord/routes';
import { REDACTED, Redactor, redactSecrets, redactUrlTokens } from '../../../src/core/text';

/** Shaped like a real bot token (base64 user id . timestamp . HMAC); registered nowhere. */
const SHAPED = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123';
const WEBHOOK_TOKEN = 'sKh2Q-9_vJx7mN3pLqR8tW1yZ4aB6cD0eF5gH2iJ9kL3mN7oP1qR4sT8uV0wX6yZ2aBc';

describe('text: the redactor', () => {
  it('removes a registered token wherever it appears', () => {
    const redactor = new Redactor();
    const known = 'emulator-token-abcdef123456';
    redactor.add(known);
    assert.equal(redactor.redact(`connecting with ${known}`), `connecting with ${REDACTED}`);
    assert.equal(redactor.redact(`${known}${known}`), `${REDACTED}${REDACTED}`);
    assert.equal(redactor.redact('#general synced 120 messages'), '#general synced 120 messages');
    redactor.delete(known);
    assert.equal(redactor.redact(known), known, 'forgotten after disconnect (and not token-shaped)');
  });

  it('removes a token-shaped string nobody registered', () => {
    assert.equal(redactSecrets(`token ${SHAPED} failed`), `token ${REDACTED} failed`);
    assert.equal(new Redactor().redact(`(${SHAPED})`), `(${REDACTED})`);
    assert.ok(!redactSecrets(`a${SHAPED}`).includes('abcdefghijklmnop'), 'glued to other characters');
  });

  it('finds tokens in URLs, JSON and split across lines', () => {
    const passphrase = 'correct horse battery "staple"';
    const secrets = [passphrase, 'emulator-token-abcdef123456'];
    assert.equal(redactSecrets(`https://example.com/?t=${encodeURIComponent(passphrase)}`, secrets), `https://example.com/?t=${REDACTED}`);
    assert.equal(redactSecrets(JSON.stringify({ passphrase }), secrets), `{"passphrase":"${REDACTED}"}`);
    assert.equal(redactSecrets(JSON.stringify({ token: SHAPED })), `{"token":"${REDACTED}"}`);
    assert.equal(redactSecrets('GET https://x/api?token=emulator-token-abcdef123456&a=1', secrets), `GET https://x/api?token=${REDACTED}&a=1`);
    assert.equal(redactSecrets('emulator-token-\n  abcdef123456 was rejected', secrets), `${REDACTED} was rejected`);
    const [head, tail] = [SHAPED.slice(0, 30), SHAPED.slice(30)];
    assert.equal(redactSecrets(`token ${head}\n${tail} wrapped`), `token ${REDACTED} wrapped`);
  });

  it('removes Authorization credentials however they are written', () => {
    assert.equal(redactSecrets('Authorization: Bot abcdefghijklmnop1234'), `Authorization: ${REDACTED}`);
    assert.equal(redactSecrets('{"authorization":"Bot short.tok"}'), `{"authorization":"${REDACTED}"}`);
    assert.equal(redactSecrets('sent Bot abcdefghijklmnop1234 to the API'), `sent Bot ${REDACTED} to the API`);
    assert.equal(redactSecrets('the bot is in 3 servers'), 'the bot is in 3 servers');
  });

  it('removes webhook and interaction tokens from their URLs', () => {
    assert.equal(
      redactSecrets(`POST https://discord.com/api/v10/webhooks/123456789012345678/${WEBHOOK_TOKEN}?wait=true failed`),
      `POST https://discord.com/api/v10/webhooks/123456789012345678/${REDACTED}?wait=true failed`,
    );
    assert.equal(redactUrlTokens(`/webhooks/1/${WEBHOOK_TOKEN}/messages/2`, ':token'), '/webhooks/1/:token/messages/2');
    assert.equal(redactUrlTokens('/interactions/1/aW50ZXJhY3Rpb246MTIz/callback', ':token'), '/interactions/1/:token/callback');
  });

  it('ignores secrets too short to tell from ordinary words, and leaves ordinary text alone', () => {
    assert.equal(redactSecrets('the end of the message', ['end']), 'the end of the message');
    for (const text of ['v10/channels/123456789012345678/messages', 'file.name.with.dots', 'a.b.c', '2026-11-22T14:03:09.123Z', 'Channel 3 of 41 · #general · 12,345 messages']) {
      assert.equal(redactSecrets(text), text);
    }
  });

  it('keeps what an API answers out of DiscordApiError messages and routes', () => {
    // Whatever answers at the API address may quote a token back (a proxy's error page, a hostile server).
    const error = errorForResponse(400, '/channels/1/messages', { code: 50035, message: `Invalid Form Body: ${SHAPED} Authorization: Bot ${SHAPED}` });
    assert.ok(!error.message.includes(SHAPED.slice(-20)), error.message);
    assert.match(error.message, /Invalid Form Body/);
    assert.equal(redactRoute(`/webhooks/123/${WEBHOOK_TOKEN}?wait=true`), '/webhooks/123/:token');
  });
});
