import { createHash, randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { describeError, GuildVaultError, Job, renderSnapshot, renderSnapshotSections, type JobWorkers } from '../engine';
import { documentLocation, GUILD_VAULT_SCHEME, languageOf, parseDocumentLocation, type DocumentRef } from './documentRefs';
import type { VaultAccess } from '../vaults/vaultAccess';

/** Live captures and health reports kept for reopening; older ones are dropped. */
const MAX_HELD_DOCUMENTS = 20;

type HeldRef = Extract<DocumentRef, { kind: 'live' | 'health' }>;

/**
 * Serves the read-only `guildvault:` documents: snapshots and transcripts
 * rendered from the vault on demand, live captures and health reports held
 * in memory. VS Code shows content-provider documents read-only, and the
 * diff editor compares two of them.
 */
export class GuildVaultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly held = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly vaults: VaultAccess,
    private readonly workers: JobWorkers,
  ) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(GUILD_VAULT_SCHEME, this),
      // Content-provider documents open as plain text; give them their colouring, in editors and diffs alike.
      vscode.workspace.onDidOpenTextDocument((document) => void this.colour(document).catch(() => undefined)), // closed meanwhile: nothing to colour
    ];
  }

  private async colour(document: vscode.TextDocument): Promise<void> {
    if (document.uri.scheme !== GUILD_VAULT_SCHEME) return;
    const ref = parseDocumentLocation({ path: document.uri.path, query: document.uri.query });
    if (!ref || document.languageId === languageOf(ref)) return;
    await vscode.languages.setTextDocumentLanguage(document, languageOf(ref));
  }

  /**
   * The URI of a document. Vault-backed ones carry which vault folder they come from (`vault=`, a
   * short hash of its path): VS Code keeps a document per URI, and after the vault folder setting
   * changes the same server and snapshot ids name another vault's content.
   */
  uriFor(ref: DocumentRef): vscode.Uri {
    const { path, query } = documentLocation(ref);
    const params = new URLSearchParams(query);
    if (ref.kind === 'snapshot' || ref.kind === 'transcript') params.set('vault', createHash('sha256').update(this.vaults.store().root).digest('hex').slice(0, 8));
    return vscode.Uri.from({ scheme: GUILD_VAULT_SCHEME, path, query: params.toString() });
  }

  /** Keeps text (a live capture, a health report) and returns the URI that shows it. */
  hold(ref: Omit<HeldRef, 'key'>, content: string): vscode.Uri {
    const key = randomUUID().slice(0, 8);
    this.held.set(key, content);
    while (this.held.size > MAX_HELD_DOCUMENTS) this.held.delete(this.held.keys().next().value!);
    return this.uriFor({ ...ref, key } as HeldRef);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseDocumentLocation({ path: uri.path, query: uri.query });
    if (!ref) return `Guild Vault cannot show ${uri.toString()}: not a Guild Vault document.`;
    try {
      return await this.render(ref);
    } catch (error) {
      // Shown in the editor: a document provider has no other way to say what went wrong.
      return `Guild Vault could not open this document.\n\n${describeError(error)}\n`;
    }
  }

  /**
   * Re-renders open documents of a server (after a snapshot was labelled, deleted...), or of every
   * server (another vault folder: the same URI now means another vault's content).
   */
  refreshOpen(guildId?: string): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === GUILD_VAULT_SCHEME && (guildId === undefined || document.uri.path.startsWith(`/${guildId}/`))) this.changed.fire(document.uri);
    }
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.changed.dispose();
    this.held.clear();
  }

  private async render(ref: DocumentRef): Promise<string> {
    switch (ref.kind) {
      case 'snapshot':
        return this.vaults.readExisting(ref.guildId, (vault) => (ref.section ? renderSection(vault, ref.snapshotId, ref.section) : renderSnapshot(vault, ref.snapshotId)));
      case 'transcript': {
        // A month of a busy channel takes longer than a frame to render: in a worker, off the extension host's thread.
        this.vaults.requireVault(ref.guildId);
        const params = { guildId: ref.guildId, channelId: ref.channelId, options: { month: ref.month, aliases: ref.aliases } };
        return this.workers.run({ kind: 'transcript', vaultRoot: this.vaults.store().root, params }, undefined, new Job());
      }
      case 'live':
      case 'health':
        return this.held.get(ref.key) ?? 'This capture is no longer held in memory. Run the command again to take a fresh one.\n';
    }
  }
}

function renderSection(vault: Parameters<typeof renderSnapshotSections>[0], snapshotId: number, sectionId: string): string {
  const section = renderSnapshotSections(vault, snapshotId).find((candidate) => candidate.id === sectionId);
  if (!section) throw new GuildVaultError('NOT_FOUND', `Snapshot #${snapshotId} has no section "${sectionId}".`, 'Open the whole snapshot instead.');
  return section.text;
}
