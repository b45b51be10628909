import * as vscode from 'vscode';
import { startDemoEmulator, type RunningEmulator } from '../engine';
import type { Log } from '../log/log';
import { plural } from '../../core/text';

/**
 * The project's Discord emulator, started inside the extension host for
 * "Try the Demo Server". One per window; it stops when the window closes.
 */
export class DemoServer implements vscode.Disposable {
  private running: Promise<RunningEmulator> | undefined;

  constructor(private readonly log: Log) {}

  /** Starts the emulator once; later calls return the same one. */
  start(): Promise<RunningEmulator> {
    if (!this.running) {
      this.running = startDemoEmulator().then(
        (emulator) => {
          this.log.redactor.add(emulator.token);
          this.log.info(`Demo emulator listening at ${emulator.apiBaseUrl} with ${plural(emulator.guildIds.length, 'server')}`);
          return emulator;
        },
        (error) => {
          this.running = undefined;
          throw error;
        },
      );
    }
    return this.running;
  }

  dispose(): void {
    const running = this.running;
    this.running = undefined;
    void running?.then((emulator) => emulator.close()).catch(() => undefined);
  }
}
