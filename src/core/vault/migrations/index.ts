import type { Database } from '../engine';
import { base } from './001_base';
import { snapshots } from './002_snapshots';
import { archive } from './003_archive';
import { restore } from './004_restore';
import { search } from './005_search';
import { chainPatches } from './006_chain_patches';
import { mediaHttpStatus } from './007_media_http_status';

/**
 * The vault schema, as an ordered list of forward migrations. A vault's
 * `PRAGMA user_version` is the number of migrations applied to it; opening an
 * older vault applies the rest in one transaction. Never edit a migration that
 * has shipped: add a new one.
 */
export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [base, snapshots, archive, restore, search, chainPatches, mediaHttpStatus];

/**
 * A migration's number is its place in the list: a vault at version N has run
 * exactly the first N. Two branches that each add "the next" migration would
 * otherwise merge into a list whose numbers lie; this stops that at load.
 */
export function checkMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migration "${migration.description}" is numbered ${migration.version} but is number ${index + 1} in MIGRATIONS.`);
  });
}

checkMigrationOrder(MIGRATIONS);
export const SCHEMA_VERSION = MIGRATIONS.length;
