/**
 * One contender of the lock race (lockRace.test.ts): waits for the common
 * start time, then takes and releases the lock `rounds` times, logging
 * "in"/"out" around each hold with O_APPEND writes the test checks for overlap.
 * Prints how many times it held the lock and how many times it was refused.
 */
import * as fs from 'node:fs';
import { isGuildVaultError } from '../../../src/core/errors';
import { VaultLock } from '../../../src/core/vault';

const [lockPath, logPath, roundsText, startAtText, holdMsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const holdMs = Number(holdMsText);
while (Date.now() < Number(startAtText)) {
  // spin: every contender starts in the same millisecond
}
let held = 0;
let refused = 0;
for (let round = 0; round < rounds; round++) {
  let lock: VaultLock;
  try {
    lock = VaultLock.acquire(lockPath, 'race');
  } catch (error) {
    if (!isGuildVaultError(error, 'VAULT_LOCKED')) throw error;
    refused++;
    continue;
  }
  fs.appendFileSync(logPath, `in ${process.pid}\n`);
  const until = Date.now() + holdMs;
  while (Date.now() < until) {
    // hold it
  }
  fs.appendFileSync(logPath, `out ${process.pid}\n`);
  lock.release();
  held++;
}
process.stdout.write(JSON.stringify({ held, refused }));
