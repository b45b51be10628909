import * as vscode from 'vscode';
import type { Log } from '../log/log';
import { secretKey, type Connection } from './connection';

const STATE_KEY = 'guildVault.connections';

/**
 * The connected bots. Persistent connections: identity in globalState, token
 * in SecretStorage (never in settings, never logged). Demo connections live
 * in memory only, like the emulator they point at.
 */
export class ConnectionStore implements vscode.Disposable {
  private readonly demo = new Map<string, { connection: Connection; token: string }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {}

  /** Persisted connections, then demo ones; a demo connection of the same bot takes its place. */
  list(): Connection[] {
    const demo = [...this.demo.values()].map((entry) => entry.connection);
    return [...this.persisted().filter((connection) => !this.demo.has(connection.id)), ...demo];
  }

  get(id: string): Connection | undefined {
    return this.list().find((connection) => connection.id === id);
  }

  /** The token of a connection; undefined if its secret is gone (e.g. cleared keychain). */
  async token(id: string): Promise<string | undefined> {
    const demo = this.demo.get(id);
    if (demo) return demo.token;
    const token = await this.secrets.get(secretKey(id));
    if (token) this.log.redactor.add(token);
    return token;
  }

  /** Adds or replaces the connection for this bot. */
  async save(connection: Connection, token: string): Promise<void> {
    this.log.redactor.add(token);
    if (connection.demo) {
      this.demo.set(connection.id, { connection, token });
    } else {
      this.demo.delete(connection.id);
      await this.secrets.store(secretKey(connection.id), token);
      const others = this.persisted().filter((existing) => existing.id !== connection.id);
      await this.state.update(STATE_KEY, [...others, connection]);
    }
    this.changed.fire();
  }

  /** Forgets a connection and deletes its secret. */
  async remove(id: string): Promise<void> {
    const demo = this.demo.get(id);
    if (demo) {
      this.demo.delete(id);
    } else {
      await this.secrets.delete(secretKey(id));
      await this.state.update(
        STATE_KEY,
        this.persisted().filter((connection) => connection.id !== id),
      );
    }
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private persisted(): Connection[] {
    const stored = this.state.get<Connection[]>(STATE_KEY, []);
    return Array.isArray(stored) ? stored.filter((entry) => entry && typeof entry.id === 'string') : [];
  }
}
