import * as assert from 'node:assert/strict';
import { DiscordApiError } from '../../src/core/discord';
import { cancelled, GuildVaultError, isGuildVaultError } from '../../src/core/errors';
import { endsJob, Job, type JobProgress } from '../../src/core/job';

describe('Job', () => {
  it('follows the user\'s signal, and a part can stop its workers without cancelling the job', () => {
    const user = new AbortController();
    const job = new Job({ signal: user.signal });
    const part = job.part();
    part.stop();
    assert.ok(part.signal.aborted);
    assert.ok(!job.signal.aborted && !job.cancelled && !part.cancelled, 'stopping a part is not a cancel');
    const other = job.part();
    user.abort();
    assert.ok(job.signal.aborted && other.signal.aborted && job.cancelled && other.cancelled);
    assert.throws(() => other.throwIfStopped(), (e: unknown) => isGuildVaultError(e, 'CANCELLED'));
  });

  it('ends with CANCELLED once the user cancelled, whatever error the abort surfaced as; otherwise with the error', () => {
    const user = new AbortController();
    const job = new Job({ signal: user.signal });
    const broken = new Error('stream closed');
    assert.equal(job.failure(broken), broken);
    user.abort();
    const failure = job.failure(broken);
    assert.ok(isGuildVaultError(failure, 'CANCELLED'));
    assert.equal((failure as Error).cause, broken, 'the original error is kept as the cause');
    const original = cancelled();
    assert.equal(job.failure(original), original);
  });

  it('shares progress, log and counters with its parts, and adds the counters to progress', () => {
    const events: JobProgress[] = [];
    const lines: string[] = [];
    const job = new Job({ onProgress: (p) => events.push(p), log: (level, message) => lines.push(`${level} ${message}`) });
    const part = job.part();
    part.counters.requests += 3;
    part.progress({ phase: 'messages' });
    part.log('warn', 'x');
    assert.equal(job.counters.requests, 3);
    assert.deepEqual(events, [{ phase: 'messages', requests: 3, rateLimitWaitMs: 0 }]);
    assert.deepEqual(lines, ['warn x']);
  });

  it('has one rule for which errors end a job rather than one part of it', () => {
    assert.ok(endsJob(cancelled()));
    assert.ok(endsJob(new DiscordApiError('INVALID_TOKEN', 'rejected', '', 401, '/users/@me')));
    assert.ok(endsJob(new DiscordApiError('API_UNREACHABLE', 'refused', '', 0, '/users/@me')));
    assert.ok(endsJob(new GuildVaultError('VAULT_NOT_WRITABLE', 'read-only')));
    assert.ok(endsJob(new TypeError('a bug')), 'an unexpected error is never hidden as one failed part');
    assert.ok(!endsJob(new DiscordApiError('MISSING_ACCESS', 'no access', '', 403, '/channels/1/messages')));
    assert.ok(!endsJob(new DiscordApiError('API_ERROR', 'HTTP 500', '', 500, '/channels/1/messages')));
  });
});
