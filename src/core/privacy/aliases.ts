import { createHash } from 'node:crypto';
import type { Database } from '../vault';

/**
 * Privacy aliases: a stable, friendly stand-in for each author ("SwiftFox"), so a
 * transcript can be shared without real names. The alias is derived from the user
 * id (the same user gets the same alias in every vault) and stored in `user_alias`;
 * a collision gets a number ("SwiftFox2") so aliases stay unique within a vault.
 */
const ADJECTIVES = [
  'Swift', 'Quiet', 'Brave', 'Clever', 'Gentle', 'Lucky', 'Mellow', 'Nimble', 'Proud', 'Rapid',
  'Silent', 'Sunny', 'Witty', 'Bold', 'Calm', 'Eager', 'Fuzzy', 'Golden', 'Happy', 'Jolly',
  'Keen', 'Lively', 'Merry', 'Noble', 'Plucky', 'Rusty', 'Shy', 'Tidy', 'Vivid', 'Wild',
  'Amber', 'Cosmic', 'Dusty', 'Frosty', 'Misty', 'Stormy', 'Velvet', 'Zesty', 'Crimson', 'Azure',
];
const ANIMALS = [
  'Fox', 'Owl', 'Otter', 'Badger', 'Falcon', 'Heron', 'Lynx', 'Marten', 'Panda', 'Raven',
  'Seal', 'Tiger', 'Wolf', 'Yak', 'Bison', 'Crane', 'Dingo', 'Ferret', 'Gecko', 'Hare',
  'Ibis', 'Koala', 'Lemur', 'Moose', 'Newt', 'Ocelot', 'Puffin', 'Quokka', 'Robin', 'Stoat',
  'Toucan', 'Walrus', 'Zebra', 'Beaver', 'Cobra', 'Dolphin', 'Finch', 'Jackal', 'Mole', 'Squid',
];

/** The base alias of a user id (before collision numbering). */
export function baseAlias(userId: string): string {
  const digest = createHash('sha256').update(`guild-vault-alias:${userId}`).digest();
  return ADJECTIVES[digest.readUInt16BE(0) % ADJECTIVES.length] + ANIMALS[digest.readUInt16BE(2) % ANIMALS.length];
}

/** The user's alias, created (and stored) on first use. Needs a writable database. */
export function ensureAlias(db: Database, userId: string): string {
  const existing = db.prepare('SELECT alias FROM user_alias WHERE user_id = ?').get(userId) as { alias: string } | undefined;
  if (existing) return existing.alias;
  const base = baseAlias(userId);
  const insert = db.prepare('INSERT OR IGNORE INTO user_alias (user_id, alias) VALUES (?, ?)');
  for (let n = 1; ; n++) {
    const alias = n === 1 ? base : `${base}${n}`;
    if (Number(insert.run(userId, alias).changes) > 0) return alias;
  }
}

/** Stored aliases for the given users; users without one get their base alias (read-only vaults). */
export function aliasesFor(db: Database, userIds: Iterable<string>): Map<string, string> {
  const lookup = db.prepare('SELECT alias FROM user_alias WHERE user_id = ?');
  const result = new Map<string, string>();
  for (const id of userIds) {
    const row = lookup.get(id) as { alias: string } | undefined;
    result.set(id, row?.alias ?? baseAlias(id));
  }
  return result;
}
