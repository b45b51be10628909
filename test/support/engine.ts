/**
 * Root hook for every mocha run: selects the vault's storage engine from
 * GUILD_VAULT_ENGINE (auto when unset) before any test opens a vault, as the
 * CLI and the extension do at start. `npm test` runs the vault, archive,
 * snapshot chain and restore suites a second time with the WASM engine
 * (.mocharc.wasm.json); child processes the tests spawn inherit the variable.
 */
import { parseEngineChoice, selectEngine } from '../../src/core/vault';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await selectEngine(parseEngineChoice(process.env.GUILD_VAULT_ENGINE, 'GUILD_VAULT_ENGINE'));
  },
};
