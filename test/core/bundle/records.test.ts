import * as assert from 'node:assert/strict';
import { ByteReader, readRecords, RecordWriter } from '../../../src/core/bundle/records';

async function* chunks(...buffers: Buffer[]): AsyncGenerator<Buffer> {
  yield* buffers;
}

async function drain(source: AsyncIterable<unknown>): Promise<void> {
  for await (const item of source) void item;
}

/** A bundle's records say what is wrong with sizes in numbers a person reads. */
describe('bundle records: size problems in words', () => {
  it('names a record header that claims too many bytes, exactly and in words', async () => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(5_000_000);
    await assert.rejects(
      drain(readRecords(new ByteReader(chunks(length, Buffer.alloc(16))))),
      (e: Error) => e.message === 'The bundle is damaged: a record header claims 5,000,000 bytes (4.8 MB), where one is at most 1 MB.',
    );
  });

  it('names a file that changed size while it was written into a bundle', async () => {
    const header = { t: 'media', size: 2048 };
    await assert.rejects(drain(new RecordWriter().record(header, [Buffer.alloc(3000)])), (e: Error) => e.message === 'Record media grew past its announced 2,048 bytes (2 KB) while it was written.');
    await assert.rejects(
      drain(new RecordWriter().record(header, [Buffer.alloc(1000)])),
      (e: Error) => e.message === 'Record media has 1,000 bytes, not the announced 2,048 bytes (2 KB): the file changed while it was read.',
    );
  });
});
