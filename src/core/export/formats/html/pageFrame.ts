import type { MediaMode } from '../../types';
import { escapeHtml } from './escape';
import { PAGE_CSS } from './styles';

/**
 * The Content-Security-Policy of every page, a second wall behind escaping: no
 * script of any kind, no forms, no base URL, no frames; images and media only from
 * the export folder (and Discord's servers when media is not copied).
 */
export function contentSecurityPolicy(media: MediaMode): string {
  const sources = media === 'none' ? "'self' data: file: https: http:" : "'self' data: file:";
  return [
    "default-src 'none'",
    `img-src ${sources}`,
    `media-src ${sources}`,
    "style-src 'unsafe-inline'",
    "script-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
}

/** The document around a page's body: charset, CSP, title, styles, the theme switch. */
export function pageStart(title: string, media: MediaMode): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(media)}">\n` +
    '<meta name="referrer" content="no-referrer">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<meta name="generator" content="Guild Vault">\n' +
    `<title>${escapeHtml(title)}</title>\n<style>${PAGE_CSS}</style>\n</head>\n<body>\n` +
    '<input class="theme" type="radio" name="theme" id="theme-auto" checked aria-label="Theme: system">' +
    '<input class="theme" type="radio" name="theme" id="theme-dark" aria-label="Theme: dark">' +
    '<input class="theme" type="radio" name="theme" id="theme-light" aria-label="Theme: light">\n<div class="app">\n'
  );
}

export const THEME_SWITCH = '<span class="themes"><label for="theme-auto">Auto</label><label for="theme-dark">Dark</label><label for="theme-light">Light</label></span>';

export function pageEnd(): string {
  return '</div>\n</body>\n</html>\n';
}
