import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import type { APIAttachment } from 'discord-api-types/v10';
import { DiscordClient, isDiscordApiError, type RetryEvent } from '../../../src/core/discord';
import { isGuildVaultError } from '../../../src/core/errors';
import { startEmulator, type Emulator } from '../../../src/emulator';

async function readAll(body: ReadableStream<Uint8Array> | NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('DiscordClient.download against the emulator CDN', function () {
  let emu: Emulator;
  let client: DiscordClient;
  let attachment: APIAttachment;

  before(async () => {
    emu = await startEmulator({ seed: 9, size: 'small', rateLimits: false });
    client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retryBackoffMs: 20 });
    // The first message with an attachment, as the API serves it (signed URL).
    outer: for (const channelId of emu.world.readableChannelIds(emu.guildIds[0]!)) {
      for await (const page of client.messagesBefore(channelId)) {
        const found = page.find((message) => message.attachments.length > 0);
        if (found) {
          attachment = found.attachments[0]!;
          break outer;
        }
      }
    }
    assert.ok(attachment, 'the demo layout has attachments');
  });
  after(async () => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.requestLog.clear();
  });

  it('streams the file with its type and size; the same bytes every time', async () => {
    const first = await client.download(attachment.url);
    const bytes = await readAll(first.body);
    assert.equal(bytes.length, attachment.size);
    assert.equal(first.size, attachment.size);
    assert.ok(first.contentType);
    const again = await readAll((await client.download(attachment.url)).body);
    assert.equal(createHash('sha256').update(again).digest('hex'), createHash('sha256').update(bytes).digest('hex'));
  });

  it('reports a missing file as UNKNOWN_RESOURCE, without the signed query in the message', async () => {
    const url = new URL(attachment.url);
    url.pathname = url.pathname.replace(/\/[^/]+$/, '/missing.png');
    const error = await client.download(url.toString()).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(isDiscordApiError(error, 'UNKNOWN_RESOURCE'), String(error));
    assert.ok(!(error as Error).message.includes('hm='));
  });

  it('retries a 5xx from the CDN', async () => {
    emu.faults.serverError({ route: /^cdn:/, times: 1, status: 503 });
    const retries: RetryEvent[] = [];
    const onRetry = (event: RetryEvent) => retries.push(event);
    client.events.on('retry', onRetry);
    try {
      const bytes = await readAll((await client.download(attachment.url)).body);
      assert.equal(bytes.length, attachment.size);
    } finally {
      client.events.off('retry', onRetry);
    }
    assert.equal(retries.length, 1);
    assert.equal(retries[0]!.reason, 'HTTP 503');
  });

  it('unhooks from the signal after a finished download, and sends nothing once cancelled', async () => {
    const controller = new AbortController();
    const done = await client.download(attachment.url, { signal: controller.signal });
    await readAll(done.body);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);

    controller.abort();
    emu.requestLog.clear();
    const error = await client.download(attachment.url, { signal: controller.signal }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(isGuildVaultError(error, 'CANCELLED'), String(error));
    assert.equal(emu.requestLog.length, 0);
  });

  it('follows a redirect on the same host, and refuses one to another host or a loop', async () => {
    const moved = new URL(attachment.url);
    moved.pathname = moved.pathname.replace(/\/[^/]+$/, '/moved.png');
    emu.faults.answer({ route: /\/moved\.png$/, status: 302, headers: { Location: attachment.url }, times: 1 });
    const bytes = await readAll((await client.download(moved.toString())).body);
    assert.equal(bytes.length, attachment.size);

    emu.faults.answer({ route: /\/moved\.png$/, status: 301, headers: { Location: 'http://127.0.0.2:9/elsewhere.png' }, times: 1 });
    const elsewhere = await client.download(moved.toString()).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(isGuildVaultError(elsewhere, 'MEDIA_REFUSED'), String(elsewhere));
    assert.match((elsewhere as Error).message, /redirect to another host \(http:\/\/127\.0\.0\.2:9\)/);

    emu.faults.answer({ route: /\/moved\.png$/, status: 302, headers: { Location: moved.toString() }, times: 10 });
    const loop = await client.download(moved.toString()).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.match(String((loop as Error).message), /more than 3 redirects/);
  });
});
