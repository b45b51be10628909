import type { NodeData, StructureState } from '../types';
import { channelLabel, unknownChannelLabel } from '../../discord/channelLabel';
import { compareSnowflakes } from '../../discord/snowflake';
import { escapeControls } from '../../text/controls';

/**
 * A name as one line of the document: a role called "Mods\n  permissions: ADMINISTRATOR"
 * must not add a line that reads like a property, in the document or in a diff.
 */
export function nameText(name: unknown): string {
  return escapeControls(String(name), { lineBreaks: true });
}

/**
 * How the document names things: "@Moderators (1234)", "#general (5678)",
 * "alice (9012)". Ids stay beside names so two roles called the same are
 * told apart and a reader can find the object in Discord.
 */
export class Names {
  private readonly roles: Map<string, NodeData>;
  private readonly channels: Map<string, NodeData>;
  private readonly users = new Map<string, string>();

  constructor(readonly state: StructureState) {
    this.roles = state.nodes.get('role') ?? new Map();
    this.channels = state.nodes.get('channel') ?? new Map();
    for (const source of ['ban', 'member'] as const) {
      for (const [id, node] of state.nodes.get(source) ?? []) {
        const user = node.user as { username?: string; global_name?: string } | undefined;
        if (user?.username) this.users.set(id, nameText(user.username));
      }
    }
  }

  get guildId(): string {
    return this.state.guildId;
  }

  role(id: string): string {
    if (id === this.guildId) return `@everyone (${id})`;
    const role = this.roles.get(id);
    return role ? `@${nameText(role.name)} (${id})` : `@unknown-role (${id})`;
  }

  channel(id: string): string {
    const channel = this.channels.get(id);
    if (!channel) return unknownChannelLabel(id);
    return `${channelLabel({ name: nameText(channel.name), type: Number(channel.type) })} (${id})`;
  }

  user(id: string): string {
    const name = this.users.get(id);
    return name ? `${name} (${id})` : `user (${id})`;
  }

}

/** Highest role first: greater position first, ties broken by the lower (older) id, as Discord does. */
export function compareRoles(a: NodeData | undefined, b: NodeData | undefined, aId: string, bId: string): number {
  const pa = Number(a?.position ?? -1);
  const pb = Number(b?.position ?? -1);
  if (pa !== pb) return pb - pa;
  return compareSnowflakes(aId, bId);
}
