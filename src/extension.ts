import type * as vscode from 'vscode';

/** Wires the VS Code layer together; the pieces live in src/vscode. */
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
