// What the editor area shows: the active tab and its input.
import * as vscode from 'vscode';
import { waitFor } from './wait';

export interface DiffTab {
  label: string;
  original: vscode.Uri;
  modified: vscode.Uri;
}

/** Waits for the active tab to be a text diff (vscode.diff opens one) and returns it. */
export async function activeDiffTab(): Promise<DiffTab> {
  return waitFor('a diff editor tab', () => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (!(tab?.input instanceof vscode.TabInputTextDiff)) return undefined;
    return { label: tab.label, original: tab.input.original, modified: tab.input.modified };
  });
}

/** The text VS Code shows for a document (content providers render on open). */
export async function documentText(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}
