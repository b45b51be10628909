import type { DatabaseSync } from 'node:sqlite';
import { base } from './001_base';
import { snapshots } from './002_snapshots';
import { archive } from './003_archive';
import { restore } from './004_restore';
import { chainPatches } from './006_chain_patches';

/**
 * The vault schema, as an ordered list of forward migrations. A vault's
 * `PRAGMA user_version` is the number of migrations applied to it; opening an
 * older vault applies the rest in one transaction. Never edit a migration that
 * has shipped: add a new one.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: DatabaseSync): void;
}

export const MIGRATIONS: readonly Migration[] = [base, snapshots, archive, restore, chainPatches];
export const SCHEMA_VERSION = MIGRATIONS.length;
