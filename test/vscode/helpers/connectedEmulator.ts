// What most suites start from: a Discord emulator in the extension host, a fresh vault folder as
// guildVault.vaultDirectory, and the emulator's bot connected like a user connects it. Set up
// before the calling describe block's tests and taken down after them.
import * as assert from 'node:assert/strict';
import { runCommand } from './commands';
import { connectTo, startTestEmulator, type Emulator } from './emulator';
import { freshDir } from './files';
import { resetSetting, setSetting } from './settings';
import { closeAllEditors } from './views';

export interface ConnectedEmulator {
  emulator: Emulator;
  /** The suite's own vault folder (guildVault.vaultDirectory while it runs). */
  vaultRoot: string;
  /** The connection of the emulator's bot (its user id). */
  botId: string;
  /** The emulator's first server (the demo server). */
  guildId: string;
}

/**
 * Registers the calling describe block's before and after hooks; the fields of
 * what it returns are filled in before its first test. A suite's own hooks
 * registered before this call run before the emulator starts (a setting it
 * needs first); its after hooks registered after it run once the bot is
 * disconnected and the emulator closed.
 */
export function useConnectedEmulator(vaultFolder: string, options: Parameters<typeof startTestEmulator>[0] = {}): ConnectedEmulator {
  const env = {} as ConnectedEmulator;
  before(async () => {
    env.emulator = await startTestEmulator(options);
    env.guildId = env.emulator.guildIds[0]!;
    env.vaultRoot = freshDir(vaultFolder);
    await setSetting('vaultDirectory', env.vaultRoot);
    const connected = await connectTo(env.emulator);
    assert.ok(connected, 'the emulator\'s bot connected');
    env.botId = connected.id;
  });
  after(async () => {
    if (env.botId) await runCommand('guildVault.disconnect', env.botId, { skipConfirmation: true });
    await resetSetting('vaultDirectory');
    await env.emulator?.close();
    await closeAllEditors();
  });
  return env;
}
