import * as assert from 'node:assert/strict';
import { ProgressLine } from '../../src/cli/progress';

function stream(isTTY: boolean) {
  const out = { text: '', isTTY, columns: 60, write: (chunk: string) => (out.text += chunk) };
  return out;
}

describe('CLI progress display', () => {
  it('on a terminal: one line rewritten in place, cut to the width, lifted for notes and cleared at the end', async () => {
    const tty = stream(true);
    const line = new ProgressLine(tty);
    line.update({ phase: 'messages', message: '#general', done: 0, total: 3, messages: 100 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    line.update({ phase: 'messages', message: '#a-channel-with-a-very-long-name-that-does-not-fit', done: 1, total: 3, messages: 250 });
    line.note('warn: something');
    const summary = line.done();
    assert.ok(!tty.text.includes('\n#'), 'progress is never a new line of its own');
    const frames = tty.text.split('\r').filter(Boolean);
    assert.ok(frames.every((frame) => frame.replace(/\x1b\[K/g, '').replace(/\n.*$/s, '').length <= 59), JSON.stringify(frames));
    assert.match(tty.text, /\r\x1b\[Kwarn: something\n\r.*Channel 2 of 3/s, 'the note goes above, the line is drawn again');
    assert.ok(tty.text.endsWith('\r\x1b[K'), 'the line is cleared at the end');
    assert.match(summary!, /250 messages/);
  });

  it('elsewhere (logs, CI): plain lines, one per step, no control characters', () => {
    const log = stream(false);
    const line = new ProgressLine(log);
    line.update({ phase: 'messages', message: '#general', done: 0, total: 2 });
    line.update({ phase: 'messages', message: '#general', done: 0, total: 2, messages: 10 });
    line.update({ phase: 'messages', message: '#random', done: 1, total: 2, messages: 20 });
    line.done();
    assert.equal(log.text.split('\n').filter(Boolean).length, 2);
    assert.ok(!/[\r\x1b]/.test(log.text));
    assert.match(log.text, /^Channel 1 of 2 · #general\nChannel 2 of 2 · #random · 20 messages\n$/);
  });
});
