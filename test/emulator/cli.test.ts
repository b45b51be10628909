import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runEmulatorCli } from '../../src/emulator';

describe('emulator: runEmulatorCli', () => {
  it('prints the URL, token and servers, serves until stopped, then closes', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const stop = new AbortController();
    const running = runEmulatorCli({ seed: 3, size: 'small', rateLimits: false, out, signal: stop.signal });
    while (!text.includes('Ctrl+C')) await new Promise((r) => setTimeout(r, 10));
    const api = /API base URL: (\S+)/.exec(text)![1];
    const token = /Bot token:\s+(\S+)/.exec(text)![1];
    assert.match(text, /Guild Vault Demo/);
    assert.match(text, /\d{17,19}\s+Guild Vault Demo/);
    const me = await fetch(`${api}/v10/users/@me`, { headers: { Authorization: `Bot ${token}` } });
    assert.equal(me.status, 200);
    stop.abort();
    await running;
    assert.match(text, /Emulator stopped/);
    await assert.rejects(fetch(`${api}/v10/users/@me`));
  });
});
