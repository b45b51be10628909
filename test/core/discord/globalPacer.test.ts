import * as assert from 'node:assert/strict';
import { GlobalPacer } from '../../../src/core/discord/globalPacer';

describe('GlobalPacer', () => {
  it('pacers over one shared budget (one bot\'s job workers) spend one bucket together, not one each', () => {
    const now = Date.now();
    const budget = GlobalPacer.sharedBudget(50);
    const [a, b] = [new GlobalPacer(50, budget), new GlobalPacer(50, budget)];
    // The bucket holds 40 (80% of a second): 40 sends go at once, whichever pacer makes them.
    const waits = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).reserve(now));
    assert.equal(waits.filter((ms) => ms === 0).length, 40);
    // The 60th send waits for 20 tokens at 50/s: 400 ms, as it would on a single pacer.
    assert.equal(waits.at(-1), 400);
    const own = new GlobalPacer(50);
    assert.equal(own.reserve(now), 0, 'a pacer without the shared budget has a bucket of its own');
  });

  it('refills continuously at its rate', () => {
    const pacer = new GlobalPacer(50);
    const start = Date.now();
    for (let i = 0; i < 40; i++) pacer.reserve(start);
    assert.equal(pacer.reserve(start), 20, 'the 41st send waits one token (20 ms at 50/s)');
    assert.equal(pacer.reserve(start + 1000), 0, 'a second later the bucket has refilled');
  });
});
