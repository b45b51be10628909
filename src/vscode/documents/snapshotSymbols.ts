import * as vscode from 'vscode';
import { GUILD_VAULT_SCHEME } from './documentRefs';
import { snapshotOutline, type OutlineEntry } from '../../presentation/snapshotOutline';

/** The Outline view, breadcrumbs and Go to Symbol for snapshot and live-capture documents. */
export class SnapshotSymbols implements vscode.DocumentSymbolProvider {
  static register(): vscode.Disposable {
    return vscode.languages.registerDocumentSymbolProvider({ language: 'guildvault-snapshot', scheme: GUILD_VAULT_SCHEME }, new SnapshotSymbols(), { label: 'Guild Vault' });
  }

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const toSymbol = (entry: OutlineEntry): vscode.DocumentSymbol => {
      const range = new vscode.Range(entry.startLine, 0, entry.endLine, document.lineAt(Math.min(entry.endLine, document.lineCount - 1)).text.length);
      const selection = document.lineAt(entry.startLine).range;
      const symbol = new vscode.DocumentSymbol(entry.name, '', entry.kind === 'section' ? vscode.SymbolKind.Namespace : vscode.SymbolKind.Object, range, selection);
      symbol.children = entry.children.map(toSymbol);
      return symbol;
    };
    return snapshotOutline(document.getText()).map(toSymbol);
  }
}
