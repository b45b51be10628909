/**
 * Text from Discord must not render as codicons where VS Code renders `$(name)` as an icon (the
 * status bar, quick pick items): "$(bug)" stays text.
 */
export function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
