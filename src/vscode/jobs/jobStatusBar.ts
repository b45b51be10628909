import * as vscode from 'vscode';
import { plural } from '../../core/text';
import { escapeIcons } from '../text/codicons';

/** A status bar item listing running jobs; hidden when none run. Click: the log. */
export class JobStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('guildVault.jobs', vscode.StatusBarAlignment.Left, 10);
  private readonly jobs = new Map<number, string>();
  private nextId = 1;

  constructor() {
    this.item.name = 'Guild Vault Jobs';
    this.item.command = 'guildVault.showLog';
  }

  /** Shows a job until the returned function is called. */
  add(title: string): { update(detail: string): void; done(): void } {
    const id = this.nextId++;
    this.jobs.set(id, title);
    this.render();
    return {
      update: (detail) => {
        if (!this.jobs.has(id)) return;
        this.jobs.set(id, `${title}: ${detail}`);
        this.render();
      },
      done: () => {
        this.jobs.delete(id);
        this.render();
      },
    };
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    if (this.jobs.size === 0) {
      this.item.hide();
      return;
    }
    const titles = [...this.jobs.values()];
    // A job's title names its server: a "$(bug)" in the name stays text.
    const first = escapeIcons(titles[0]!.split(':')[0]!);
    this.item.text = this.jobs.size === 1 ? `$(sync~spin) ${first}` : `$(sync~spin) Guild Vault: ${plural(this.jobs.size, 'job')}`;
    this.item.tooltip = `Guild Vault\n${titles.join('\n')}\n\nClick to show the log.`;
    this.item.show();
  }
}
