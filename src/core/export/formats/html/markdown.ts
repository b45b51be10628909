import { SimpleMarkdown, rulesExtended } from 'discord-markdown-parser';
import hljs from 'highlight.js/lib/common';
import { escapeHtml, safeHref } from './escape';
import { SNOWFLAKE_PATTERN } from '../../../discord/snowflake';

type Node = { type: string; [key: string]: unknown };

/** How mentions, channels and emojis become names and links (privacy-aware). */
export interface MarkdownNames {
  user(id: string): { name: string; color: string | null };
  role(id: string): { name: string; color: string | null };
  /** `label` as mentionLabel writes it: "#general", a thread without "#". */
  channel(id: string): { label: string; href: string | null };
  emoji(id: string, name: string, animated: boolean): string | null;
}

/**
 * Discord's list items ("- item", "1. item"), which the parser lacks: one item per
 * line at a line start, grouped into <ul>/<ol> when rendered.
 */
const listItem = {
  order: (rulesExtended.heading as { order: number }).order,
  match(source: string, state: { prevCapture?: string[] | null }) {
    const previous = state.prevCapture?.[0];
    if (previous !== undefined && previous !== null && !previous.endsWith('\n')) return null;
    return /^ {0,3}([-*]|\d{1,9}\.) +([^\n]+)\n?/.exec(source);
  },
  parse(capture: string[], parse: (text: string, state: unknown) => unknown, state: unknown) {
    return { ordered: /\d/.test(capture[1]!), start: Number.parseInt(capture[1]!, 10) || 1, content: parse(capture[2]!, state) };
  },
};

const parser = SimpleMarkdown.parserFor({ ...rulesExtended, listItem } as unknown as Parameters<typeof SimpleMarkdown.parserFor>[0]);

const MAX_DEPTH = 40;

/**
 * Discord markdown to HTML. The maintained parser (discord-markdown-parser, the
 * one discord-html-transcripts uses) reads the text; this turns its tree into
 * HTML where every piece of text and every attribute is escaped, links go only to
 * http(s), and code is highlighted by highlight.js (which escapes too). Input the
 * parser cannot take (it recurses) is shown as escaped plain text.
 */
export function renderMarkdown(content: string, names: MarkdownNames): string {
  let tree: Node[];
  try {
    tree = parser(content, { inline: true }) as Node[];
  } catch {
    return escapeHtml(content).replace(/\n/g, '<br>');
  }
  return renderNodes(tree, names, 0);
}

const EMOJI_ONLY = new RegExp(String.raw`^(?:<a?:\w{2,32}:${SNOWFLAKE_PATTERN}>|\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f|\s)+$`, 'u');

/** Whether a message is only emojis (Discord shows those large). */
export function isEmojiOnly(content: string): boolean {
  const trimmed = content.trim();
  if (!trimmed || trimmed.length > 200) return false;
  return EMOJI_ONLY.test(trimmed) && !/^[\d#*\s]+$/.test(trimmed);
}

function renderNodes(nodes: Node[], names: MarkdownNames, depth: number): string {
  let html = '';
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.type === 'listItem') {
      const ordered = node.ordered === true;
      let items = '';
      let j = i;
      for (; j < nodes.length && nodes[j]!.type === 'listItem' && nodes[j]!.ordered === ordered; j++) {
        items += `<li>${renderChildren(nodes[j]!.content, names, depth)}</li>`;
      }
      html += ordered ? `<ol start="${Number(node.start) || 1}">${items}</ol>` : `<ul>${items}</ul>`;
      i = j - 1;
      // The line break after the list is the list's own.
      if (nodes[i + 1]?.type === 'br') i++;
      continue;
    }
    html += renderNode(node, names, depth);
  }
  return html;
}

function renderChildren(content: unknown, names: MarkdownNames, depth: number): string {
  if (depth >= MAX_DEPTH) return '';
  if (typeof content === 'string') return escapeHtml(content);
  if (Array.isArray(content)) return renderNodes(content as Node[], names, depth + 1);
  return '';
}

function renderNode(node: Node, names: MarkdownNames, depth: number): string {
  const inner = () => renderChildren(node.content, names, depth);
  switch (node.type) {
    case 'text':
      return escapeHtml(String(node.content ?? ''));
    case 'br':
    case 'newline':
      return '<br>';
    case 'strong':
      return `<strong>${inner()}</strong>`;
    case 'em':
      return `<em>${inner()}</em>`;
    case 'underline':
      return `<u>${inner()}</u>`;
    case 'strikethrough':
      return `<s>${inner()}</s>`;
    case 'inlineCode':
      return `<code class="inline">${escapeHtml(String(node.content ?? ''))}</code>`;
    case 'codeBlock':
      return `<pre class="code"><code>${highlight(String(node.content ?? ''), typeof node.lang === 'string' ? node.lang : '')}</code></pre>`;
    case 'blockQuote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'spoiler':
      // Revealed on hover or focus by CSS: the page runs no script.
      return `<span class="spoiler" tabindex="0">${inner()}</span>`;
    case 'heading': {
      const level = Math.min(3, Math.max(1, Number(node.level) || 1));
      return `<h${level + 2} class="md-h${level}">${inner()}</h${level + 2}>`;
    }
    case 'subtext':
      return `<small class="subtext">${inner()}</small>`;
    case 'url':
    case 'autolink':
    case 'link': {
      const target = typeof node.target === 'string' ? node.target : '';
      const href = safeHref(target);
      const text = inner() || escapeHtml(target);
      return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow" target="_blank">${text}</a>` : text;
    }
    case 'user': {
      const user = names.user(String(node.id));
      return `<span class="mention"${colorStyle(user.color)}>@${escapeHtml(user.name)}</span>`;
    }
    case 'role': {
      const role = names.role(String(node.id));
      return `<span class="mention role"${colorStyle(role.color)}>@${escapeHtml(role.name)}</span>`;
    }
    case 'channel': {
      const channel = names.channel(String(node.id));
      const href = safeHref(channel.href);
      return href ? `<a class="mention" href="${escapeHtml(href)}">${escapeHtml(channel.label)}</a>` : `<span class="mention">${escapeHtml(channel.label)}</span>`;
    }
    case 'everyone':
      return '<span class="mention">@everyone</span>';
    case 'here':
      return '<span class="mention">@here</span>';
    case 'emoji': {
      const name = String(node.name ?? '');
      const src = names.emoji(String(node.id), name, node.animated === true);
      return src ? `<img class="emoji" src="${escapeHtml(src)}" alt=":${escapeHtml(name)}:" title=":${escapeHtml(name)}:">` : `:${escapeHtml(name)}:`;
    }
    case 'twemoji':
      return escapeHtml(String(node.name ?? ''));
    case 'timestamp': {
      const seconds = Number(node.timestamp);
      if (!Number.isFinite(seconds) || Math.abs(seconds) > 8.64e12) return escapeHtml(String(node.timestamp ?? ''));
      const iso = new Date(seconds * 1000).toISOString();
      return `<time class="timestamp" datetime="${iso}">${iso.replace('T', ' ').slice(0, 16)} UTC</time>`;
    }
    case 'slashCommand':
      return `<span class="mention">/${escapeHtml(String(node.name ?? ''))}</span>`;
    case 'guildNavigation':
      return `<span class="mention">${escapeHtml(String(node.id ?? ''))}</span>`;
    case 'emoticon':
      return escapeHtml(String(node.content ?? ''));
    default:
      return typeof node.content === 'string' ? escapeHtml(node.content) : inner();
  }
}

function highlight(code: string, language: string): string {
  const lang = language.toLowerCase();
  if (lang && /^[a-z0-9+#-]{1,20}$/.test(lang) && hljs.getLanguage(lang) && code.length <= 100_000) {
    try {
      return hljs.highlight(code, { language: lang, ignoreIllegals: true }).value;
    } catch {
      // fall through to plain
    }
  }
  return escapeHtml(code);
}

export function colorStyle(color: string | null): string {
  return color && /^#[0-9a-f]{6}$/.test(color) ? ` style="color:${color}"` : '';
}
