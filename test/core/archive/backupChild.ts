/**
 * A backup in its own process, for the kill -9 test: prints "messages N" as it
 * goes so the test knows when to kill it. Reads everything from the environment.
 */
import { DiscordClient } from '../../../src/core/discord';
import { Job } from '../../../src/core/job';
import { backupGuild } from '../../../src/core/jobs/backup';
import { VaultStore } from '../../../src/core/vault';

const env = process.env;
const client = new DiscordClient({ token: env.GV_TOKEN!, apiBaseUrl: env.GV_API!, cdnBaseUrl: env.GV_CDN! });
let last = 0;
const job = new Job({
  onProgress: (p) => {
    if ((p.messages ?? 0) - last >= 100) {
      last = p.messages ?? 0;
      process.stdout.write(`messages ${last}\n`);
    }
  },
});
backupGuild(new VaultStore(env.GV_VAULTS!), client, env.GV_GUILD!, { recheckDays: 0 }, job).then(
  () => process.stdout.write('done\n'),
  (error) => {
    process.stderr.write(`${error}\n`);
    process.exitCode = 1;
  },
);
