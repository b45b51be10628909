import * as vscode from 'vscode';
import type { JobLog } from '../engine';
import { Redactor } from '../../core/text';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The "Guild Vault" log output channel. Every line goes through the redactor,
 * so a token that slips into an error message never reaches the log.
 */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly redactor = new Redactor();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Guild Vault', { log: true });
  }

  debug(message: string): void {
    this.write('debug', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  error(message: string): void {
    this.write('error', message);
  }

  /** The `log` callback engine jobs take. */
  readonly forEngine: JobLog = (level, message) => this.write(level, message);

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private write(level: Level, message: string): void {
    this.channel[level](this.redactor.redact(message));
  }
}
