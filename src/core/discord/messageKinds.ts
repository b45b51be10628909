import { MessageReferenceType, MessageType } from 'discord-api-types/v10';

/**
 * What a message's type and reference mean, asked by name, so readers,
 * exports and the migration agree on which message is a reply, a forward or
 * a system line.
 */
interface Reference {
  type?: number | null;
}

/** The reference's kind: Discord leaves `type` out for a reply. */
export function referenceKind(reference: Reference): number {
  return reference.type ?? MessageReferenceType.Default;
}

/** A reply: a reference of the default kind (a forward is the other kind). */
export function isReplyReference(reference: Reference | null | undefined): boolean {
  return reference != null && referenceKind(reference) === MessageReferenceType.Default;
}

export function isForwardReference(reference: Reference | null | undefined): boolean {
  return reference != null && referenceKind(reference) === MessageReferenceType.Forward;
}

/** Message types a person wrote (default, reply, slash and context-menu command replies); the others are Discord's system messages. */
export const PERSON_WRITTEN_TYPES: readonly number[] = [MessageType.Default, MessageType.Reply, MessageType.ChatInputCommand, MessageType.ContextMenuCommand];
