/**
 * A migration in its own process, for the kill -9 test: prints "sent N" as
 * it goes and "done <report json>" at the end. Reads everything from the environment.
 */
import { DiscordClient } from '../../../src/core/discord';
import { migrateMessages } from '../../../src/core/migrate';
import { Job } from '../../../src/core/job';
import { VaultStore } from '../../../src/core/vault';

const env = process.env;
const client = new DiscordClient({ token: env.GV_TOKEN!, apiBaseUrl: env.GV_API!, cdnBaseUrl: env.GV_CDN!, globalRequestsPerSecond: 2000 });
const vault = new VaultStore(env.GV_VAULTS!).open(env.GV_SOURCE!, { purpose: 'migrate' });
migrateMessages(vault, client, {
  targetGuildId: env.GV_TARGET!,
  messagesPerChannelPerMinute: 0,
  concurrency: 4,
}, new Job({ onProgress: (p) => process.stdout.write(`sent ${p.messages ?? 0}\n`) })).then(
  (report) => {
    vault.close();
    process.stdout.write(`done ${JSON.stringify(report)}\n`);
  },
  (error) => {
    process.stderr.write(`${error}\n`);
    process.exitCode = 1;
  },
);
