const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value from anywhere outside this program: always through here. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * A link target a page may carry: only absolute http(s) URLs, or the relative
 * paths the export itself makes (media/..., pages). javascript:, data:, vbscript:
 * and anything unparsable give null: the caller shows the text without a link.
 */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      const parsed = new URL(trimmed);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch {
      return null;
    }
  }
  // Relative paths the exporter wrote: no scheme, no protocol-relative '//'.
  if (/^(?![a-z][a-z0-9+.-]*:)(?!\/\/)[^\s\\]+$/i.test(trimmed) && !/[\u0000-\u001f]/.test(trimmed)) return trimmed;
  return null;
}
