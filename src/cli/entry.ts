/**
 * The guild-vault executable (dist/cli.js). Nothing to check first: the vault's SQLite engine is
 * chosen per run (node:sqlite, or WebAssembly SQLite on a Node without it, src/core/vault/engine).
 */
import { runAsProcess } from './main';

runAsProcess();
