import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * Discord permission bitfields as names, and permissions computed the way
 * Discord computes them (base from roles, then channel overwrites).
 */

const ALL_BITS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** Bit -> "BAN_MEMBERS"; where two names share a bit the newer (listed later) wins. */
const NAME_OF_BIT = new Map<bigint, string>();
for (const [name, bit] of Object.entries(PermissionFlagsBits)) NAME_OF_BIT.set(bit, name.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toUpperCase());

/** Names of the set bits, lowest bit first; unknown bits as "BIT_47". */
export function permissionNames(bits: string | bigint | number | null | undefined): string[] {
  const value = toBits(bits);
  const names: string[] = [];
  for (let bit = 0n; bit < 64n; bit++) {
    const flag = 1n << bit;
    if (value & flag) names.push(NAME_OF_BIT.get(flag) ?? `BIT_${bit}`);
  }
  return names;
}

export function toBits(bits: string | bigint | number | null | undefined): bigint {
  if (bits === null || bits === undefined || bits === '') return 0n;
  try {
    return BigInt(bits);
  } catch {
    return 0n;
  }
}

export function hasPermission(bits: bigint, flag: bigint): boolean {
  return (bits & PermissionFlagsBits.Administrator) !== 0n || (bits & flag) === flag;
}

export interface RoleLike {
  id: string;
  permissions?: unknown;
}

/**
 * A member's server-wide permissions: the owner has all; otherwise @everyone's
 * (the role whose id is the guild id) OR every role of the member's, and
 * ADMINISTRATOR implies all.
 */
export function basePermissions(guildId: string, ownerId: string | undefined, memberId: string, memberRoleIds: readonly string[], roles: readonly RoleLike[]): bigint {
  if (ownerId !== undefined && ownerId === memberId) return ALL_BITS;
  const byId = new Map(roles.map((role) => [role.id, role]));
  let bits = toBits(byId.get(guildId)?.permissions as string | undefined);
  for (const id of memberRoleIds) bits |= toBits(byId.get(id)?.permissions as string | undefined);
  return bits & PermissionFlagsBits.Administrator ? ALL_BITS : bits;
}

export interface OverwriteLike {
  id: string;
  type: number; // 0 role, 1 member
  allow: string;
  deny: string;
}

/**
 * Permissions in one channel: base, then @everyone's overwrite, then the
 * member's roles' overwrites (all denies, then all allows), then the
 * member's own overwrite. Administrators are not affected by overwrites.
 */
export function channelPermissions(base: bigint, guildId: string, memberId: string, memberRoleIds: readonly string[], overwrites: readonly OverwriteLike[]): bigint {
  if (base & PermissionFlagsBits.Administrator) return ALL_BITS;
  let bits = base;
  const everyone = overwrites.find((o) => o.type === OverwriteType.Role && o.id === guildId);
  if (everyone) bits = (bits & ~toBits(everyone.deny)) | toBits(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guildId && memberRoleIds.includes(o.id)) {
      allow |= toBits(o.allow);
      deny |= toBits(o.deny);
    }
  }
  bits = (bits & ~deny) | allow;
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === memberId);
  if (own) bits = (bits & ~toBits(own.deny)) | toBits(own.allow);
  return bits;
}

export { PermissionFlagsBits };
