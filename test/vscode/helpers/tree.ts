// Reads the Servers tree as VS Code gets it from the extension's TreeDataProvider: each node's
// TreeItem (label, description, contextValue, command) and its children.
import * as vscode from 'vscode';
import { activateGuildVault } from './extension';

export interface ShownItem {
  /** The node object itself: commands invoked from the tree receive it as their argument. */
  node: unknown;
  label: string;
  description: string;
  contextValue: string;
  id: string;
  tooltip: string;
  command?: vscode.Command;
  /** What a screen reader says for the row. */
  accessibility?: string;
  collapsible: boolean;
  children: ShownItem[];
}

function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/**
 * Walks the tree from the top. Nodes whose contextValue matches `expand` are expanded (collapsed
 * and expanded ones alike); others are not, like a person who only opens what they look at.
 */
export async function readServersTree(expand: RegExp = /./, depth = 6): Promise<ShownItem[]> {
  const tree = (await activateGuildVault()).serversTree;
  const walk = async (node: unknown, level: number): Promise<ShownItem[]> => {
    const children = (await tree.getChildren(node as never)) ?? [];
    const shown: ShownItem[] = [];
    for (const child of children) {
      const item = await tree.getTreeItem(child);
      const contextValue = item.contextValue ?? '';
      const collapsible = (item.collapsibleState ?? vscode.TreeItemCollapsibleState.None) !== vscode.TreeItemCollapsibleState.None;
      shown.push({
        node: child,
        label: labelOf(item),
        description: typeof item.description === 'string' ? item.description : '',
        contextValue,
        id: item.id ?? '',
        tooltip: typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''),
        command: item.command,
        accessibility: item.accessibilityInformation?.label,
        collapsible,
        children: collapsible && level < depth && expand.test(contextValue) ? await walk(child, level + 1) : [],
      });
    }
    return shown;
  };
  return walk(undefined, 0);
}

/** Every item below `items`, depth first. */
export function allItems(items: ShownItem[]): ShownItem[] {
  return items.flatMap((item) => [item, ...allItems(item.children)]);
}

export function findItem(items: ShownItem[], predicate: (item: ShownItem) => boolean, what: string): ShownItem {
  const found = allItems(items).find(predicate);
  if (!found) throw new Error(`The Servers tree shows no ${what}. It shows:\n${describeTree(items)}`);
  return found;
}

/** The tree as text, for failure messages. */
export function describeTree(items: ShownItem[], indent = ''): string {
  return items.map((item) => `${indent}${item.label}${item.description ? ` — ${item.description}` : ''} [${item.contextValue}]\n${describeTree(item.children, indent + '  ')}`).join('');
}
