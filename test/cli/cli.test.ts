import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCliInProcess } from './runInProcess';
import { COMMANDS } from '../../src/cli/commands';
import { DiscordClient } from '../../src/core/discord';
import { Vault } from '../../src/core/vault';
import { startEmulator, type Emulator } from '../../src/emulator';
import { runCliProcess } from './runCli';
import { closedPort } from '../support/closedPort';
import { tempDir } from '../support/tempDir';

/** Runs the CLI in this process with captured output (for help and usage checks; no Discord involved). */
describe('guild-vault CLI', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let tmp: string;
  let api: string[];

  before(async () => {
    emu = await startEmulator({ seed: 5, size: 'small', rateLimits: false });
    api = ['--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl];
  });
  after(async () => emu.close());
  beforeEach(() => {
    tmp = tempDir('gv-cli-');
    emu.faults.clear();
    emu.requestLog.clear();
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('help and usage (in process)', () => {
    it('lists every command and the exit codes at top level', async () => {
      const { code, stdout } = await runCliInProcess(['--help']);
      assert.equal(code, 0);
      for (const command of COMMANDS) assert.match(stdout, new RegExp(`^  ${command.name} `, 'm'));
      assert.match(stdout, /Exit codes:/);
      assert.match(stdout, /130/);
      assert.match(stdout, /DISCORD_TOKEN/);
    });

    it('has --help on every command and subcommand', async () => {
      const paths = COMMANDS.flatMap((command) => [[command.name], ...(command.subcommands ?? []).map((sub) => [command.name, sub.name])]);
      for (const commandPath of paths) {
        const { code, stdout } = await runCliInProcess([...commandPath, '--help']);
        assert.equal(code, 0, commandPath.join(' '));
        assert.match(stdout, new RegExp(`Usage: guild-vault ${commandPath.join(' ')}`), commandPath.join(' '));
        assert.match(stdout, /Exit codes:/);
      }
    });

    it('exits 2 for an unknown command, an unknown option and a missing argument', async () => {
      const unknown = await runCliInProcess(['frobnicate']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /Unknown command "frobnicate"/);
      const option = await runCliInProcess(['servers', '--frob']);
      assert.equal(option.code, 2);
      assert.match(option.stderr, /--frob/);
      const missing = await runCliInProcess(['health'], { DISCORD_TOKEN: 'x'.repeat(20) });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /server id/);
      const badUrl = await runCliInProcess(['servers', '--api', 'not a url'], { DISCORD_TOKEN: 'x'.repeat(20) });
      assert.equal(badUrl.code, 2);
    });

    it("refuses what is not a Discord id with exit 2 in every command, by Discord's rule (17-20 digits, at most 2^64-1)", async () => {
      const token = { DISCORD_TOKEN: 'x'.repeat(20) };
      const ok = '849441091449913344';
      const refused: Array<[string[], RegExp]> = [
        [['health', '1234567890123456'], /"1234567890123456" is not a server id/],
        [['backup', '100000000000000000000'], /is not a server id/],
        [['sync', '18446744073709551616'], /is not a server id/],
        [['search', ok, 'fox', '--before', '0849441091449913344'], /--before "0849441091449913344" is not a message id/],
        [['export', ok, '--out', tmp, '--channels', `${ok},999999999999999`], /"999999999999999" is not a channel id/],
        [['migrate', '--from', '1234567890123456', '--to', ok], /--from "1234567890123456" is not a server id/],
        [['migrate', '--from', ok, '--to', ok, '--channels', '12345678901234567890123'], /is not a channel id/],
        [['restore', '--snapshot', '1', '--to', '../849441091449913344'], /--to "..\/849441091449913344" is not a server id/],
      ];
      for (const [argv, message] of refused) {
        const run = await runCliInProcess([...argv, '--vault', tmp], token, tmp);
        assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, message);
      }
      assert.deepEqual(fs.readdirSync(tmp), [], 'no vault folder was made for any of them');
      // A 17-digit id is an id: it gets past the check to "no such server" (exit 3), not a usage error.
      const oldest = await runCliInProcess(['health', '10000000000000000', ...api], { DISCORD_TOKEN: emu.token }, tmp);
      assert.equal(oldest.code, 3, oldest.stderr);
    });

    it('refuses to run a Discord command without DISCORD_TOKEN, exit 3, and says where the token goes', async () => {
      const { code, stderr } = await runCliInProcess(['servers', ...api]);
      assert.equal(code, 3);
      assert.match(stderr, /DISCORD_TOKEN is not set/);
      assert.equal(emu.requestLog.length, 0);
    });
  });

  describe('as a child process against the emulator', () => {
    it('servers: checks the token, lists the servers, never prints the token', async () => {
      const run = await runCliProcess(['servers', ...api, '--vault', tmp], { env: { DISCORD_TOKEN: emu.token } });
      assert.equal(run.code, 0, run.stderr);
      for (const id of emu.guildIds) assert.match(run.stdout, new RegExp(`^${id} `, 'm'));
      assert.match(run.stdout, /Guild Vault Demo/);
      assert.ok(!run.stdout.includes(emu.token) && !run.stderr.includes(emu.token));
    });

    it('servers --json prints the servers as JSON', async () => {
      const run = await runCliProcess(['servers', '--json', ...api, '--vault', tmp], { env: { DISCORD_TOKEN: emu.token } });
      assert.equal(run.code, 0, run.stderr);
      const parsed = JSON.parse(run.stdout) as { servers: { id: string; hasVault: boolean }[] };
      assert.deepEqual(parsed.servers.map((s) => s.id).sort(), [...emu.guildIds].sort());
      assert.ok(parsed.servers.every((s) => s.hasVault === false));
    });

    it('servers for a bot in no server prints its invite link', async () => {
      const lonely = await startEmulator({ seed: 6, guilds: [], rateLimits: false });
      try {
        const run = await runCliProcess(['servers', '--api', lonely.apiBaseUrl], { env: { DISCORD_TOKEN: lonely.token } });
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /in 0 servers/);
        assert.match(run.stdout, new RegExp(`https://discord\\.com/oauth2/authorize\\?client_id=${lonely.botUserId}&scope=bot&permissions=\\d+`));
      } finally {
        await lonely.close();
      }
    });

    it('a rejected token exits 3 with the fix, after one request, without printing the token', async () => {
      const badToken = `${emu.token.slice(0, -4)}abcd`;
      const run = await runCliProcess(['servers', ...api], { env: { DISCORD_TOKEN: badToken } });
      assert.equal(run.code, 3);
      assert.match(run.stderr, /rejected the bot token/);
      assert.match(run.stderr, /Developer Portal/);
      assert.ok(!run.stderr.includes(badToken) && !run.stdout.includes(badToken));
      assert.equal(emu.requestLog.count({ status: 401 }), 1);
    });

    it('health prints the health document and exits 1 when something blocks the backup', async () => {
      emu.world.intents.messageContent = false;
      try {
        const run = await runCliProcess(['health', emu.guildIds[0]!, ...api], { env: { DISCORD_TOKEN: emu.token } });
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stdout, new RegExp(`^Health of Guild Vault Demo \\(${emu.guildIds[0]}\\)\nBot: Guild Vault \\(${emu.botUserId}\\)`));
        assert.match(run.stdout, /^Checked: \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);
        assert.match(run.stdout, /^Blocks the backup \(1\)\n  - the Message Content intent is off\n +costs: message text/m);
        assert.match(run.stdout, /^  Message Content: disabled$/m);
        assert.match(run.stdout, /^  Server Members: +enabled$/m);
      } finally {
        emu.world.intents.messageContent = true;
      }
    });

    it('a server the bot is not in exits 3 with a message naming it and the fix', async () => {
      const run = await runCliProcess(['health', '123456789012345678', ...api], { env: { DISCORD_TOKEN: emu.token } });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /not in server 123456789012345678/);
      assert.match(run.stderr, /invite the bot/);
    });

    it('backup, sync and snapshot with a bad token or a foreign server exit 3 and create no vault', async () => {
      const badToken = `${emu.token.slice(0, -4)}abcd`;
      for (const command of ['backup', 'sync', 'snapshot']) {
        const rejected = await runCliProcess([command, emu.guildIds[0]!, ...api, '--vault', tmp], { env: { DISCORD_TOKEN: badToken } });
        assert.equal(rejected.code, 3, `${command}: ${rejected.stderr}`);
        const foreign = await runCliProcess([command, '123456789012345678', ...api, '--vault', tmp], { env: { DISCORD_TOKEN: emu.token } });
        assert.equal(foreign.code, 3, `${command}: ${foreign.stderr}`);
      }
      assert.deepEqual(fs.readdirSync(tmp), []);
    });

    it('an unreachable API exits 1 quickly, naming the address and the fix', async () => {
      const port = await closedPort();
      const run = await runCliProcess(['servers', '--api', `http://127.0.0.1:${port}/api`], { env: { DISCORD_TOKEN: emu.token } });
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`Cannot reach the Discord API at http://127\\.0\\.0\\.1:${port}/api \\(connection refused\\)`));
      assert.match(run.stderr, /--api/);
      assert.ok(run.ms < 15_000, `took ${run.ms} ms`);
    });

    it('Ctrl+C cancels a running command: exit 130', async () => {
      emu.faults.slow({ route: '/users/@me', times: 1, delayMs: 20_000 });
      const run = await runCliProcess(['servers', ...api], {
        env: { DISCORD_TOKEN: emu.token },
        onSpawn: (child) => {
          // Interrupt once the request is waiting in the emulator.
          const timer = setInterval(() => {
            if (emu.faults.pending.length === 0) {
              clearInterval(timer);
              child.kill('SIGINT');
            }
          }, 20);
        },
      });
      assert.equal(run.code, 130, run.stderr);
      assert.match(run.stderr, /cancelled/i);
      assert.ok(run.ms < 15_000);
    });

    it('a vault in use by another process exits 4 naming the process', async () => {
      const guildId = emu.guildIds[0]!;
      const held = Vault.open(path.join(tmp, guildId), { mode: 'write', purpose: 'test' });
      try {
        const run = await runCliProcess(['backup', guildId, ...api, '--vault', tmp], { env: { DISCORD_TOKEN: emu.token } });
        assert.equal(run.code, 4, run.stderr);
        assert.match(run.stderr, new RegExp(String(process.pid)));
      } finally {
        held.close();
      }
    });

    it('a vault folder that cannot be written exits 4 and changes nothing', async () => {
      const file = path.join(tmp, 'not-a-folder');
      fs.writeFileSync(file, 'keep me');
      const run = await runCliProcess(['backup', emu.guildIds[0]!, ...api, '--vault', file], { env: { DISCORD_TOKEN: emu.token } });
      assert.equal(run.code, 4, run.stderr);
      assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    });

    it('emulator: serves the API it prints until Ctrl+C, then exits 0', async () => {
      let printed = '';
      let user: { id: string; bot?: boolean } | undefined;
      const run = await runCliProcess(['emulator', '--seed', '4', '--size', 'small'], {
        onSpawn: (child) => {
          child.stdout!.on('data', (chunk: Buffer) => {
            printed += chunk.toString();
            if (!printed.includes('Press Ctrl+C') || user) return;
            const api = /API base URL: (\S+)/.exec(printed)![1]!;
            const token = /Bot token:\s+(\S+)/.exec(printed)![1]!;
            user = {} as never;
            void new DiscordClient({ token, apiBaseUrl: api })
              .getCurrentUser()
              .then((me) => (user = me))
              .finally(() => child.kill('SIGINT'));
          });
        },
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(user?.bot, true);
      assert.match(run.stdout, /Emulator stopped/);
    });

    it('backup --all backs up every server of the bot, one after the other', async () => {
      const run = await runCliProcess(['backup', '--all', ...api, '--vault', tmp], { env: { DISCORD_TOKEN: emu.token } });
      assert.equal(run.code, 0, run.stderr);
      for (const guildId of emu.guildIds) assert.ok(fs.existsSync(path.join(tmp, guildId, 'vault.db')), `a vault for ${guildId}`);
      assert.match(run.stdout, new RegExp(`Backed up ${emu.guildIds.length} of ${emu.guildIds.length} servers\\.`));
      const both = await runCliProcess(['backup', emu.guildIds[0]!, '--all', ...api, '--vault', tmp], { env: { DISCORD_TOKEN: emu.token } });
      assert.equal(both.code, 2, 'a server id and --all is a usage error');
    });

    it('on a Node without node:sqlite backs up through WebAssembly SQLite; forcing the native engine there says why in one line, never a stack', async () => {
      const without = { nodeArgs: ['--require', path.join(__dirname, '../support/withoutNodeSqlite.cjs')], env: { DISCORD_TOKEN: emu.token } };
      const vaults = path.join(tmp, 'no-node-sqlite');
      const run = await runCliProcess(['backup', emu.guildIds[0]!, ...api, '--vault', vaults], without);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(fs.existsSync(path.join(vaults, emu.guildIds[0]!, 'vault.db')));
      const forced = await runCliProcess(['backup', emu.guildIds[0]!, '--engine', 'native', ...api, '--vault', path.join(tmp, 'forced-native')], without);
      assert.notEqual(forced.code, 0);
      const lines = forced.stderr.trim().split('\n');
      assert.ok(lines.length <= 2, forced.stderr);
      assert.match(forced.stderr, /native storage engine was asked for/);
      assert.doesNotMatch(forced.stderr, /\n\s+at /, 'no stack trace');
    });

    it('demo: starts its own emulator, backs up the demo server into a vault and says what it did', async () => {
      const run = await runCliProcess(['demo', '--vault', tmp]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Backed up "Guild Vault Demo" \((\d+)\)/);
      const guildId = /Backed up "Guild Vault Demo" \((\d+)\)/.exec(run.stdout)![1]!;
      assert.ok(fs.existsSync(path.join(tmp, guildId, 'vault.db')));
      assert.match(run.stdout, /Structure snapshot #1/);
      assert.match(run.stdout, /new messages/);
      // Not a terminal: progress comes as plain lines, never carriage returns.
      assert.ok(run.stderr.split('\n').length > 3);
      assert.ok(!run.stderr.includes('\r'));
      // The "Look around" lines run as printed, from this clone.
      const lookAround = run.stdout.split('\n').filter((line) => line.startsWith('  ') && line.includes(' snapshots list '));
      assert.equal(lookAround.length, 1, run.stdout);
      const printed = lookAround[0]!.trim().split(/\s+/);
      assert.deepEqual(printed.slice(0, 3), ['npx', 'tsx', 'src/cli/entry.ts'], lookAround[0]);
      const again = await runCliProcess(printed.slice(3));
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /#1 /);
    });
  });
});
