import * as vscode from 'vscode';
import { compareSnowflakes, DEFAULTS, describeError, getArchivedChannel, isGuildVaultError, Job, type SearchHit } from '../engine';
import { channelLabel } from '../../presentation/channelText';
import { hitMarks, hitTime, hitWhere, plainText } from '../../presentation/searchText';
import { registerCommand } from '../commands/registerCommand';
import { readSettings } from '../settings/settings';
import { isServerRef, type ServerRef } from '../servers/server';
import type { Services } from '../services';
import { escapeIcons } from '../text/codicons';

/** Arguments for automation and tests; a tree node passes `{ server }`. */
export interface SearchMessagesArgs {
  guildId?: string;
  /** Text to start with (the picker still opens). */
  query?: string;
  /** Search every vault instead of one server's. */
  allVaults?: boolean;
}

/** What choosing a result opened (the command's return value, for tests and automation). */
export interface RevealedMessage {
  uri: string;
  messageId: string;
  /** First and last line (0-based) of the message in the transcript. */
  startLine: number;
  endLine: number;
}

const PAGE = 50;
/** As many as the engine returns at once. */
const MAX_RESULTS = DEFAULTS.searchResults.max;
const TYPING_PAUSE_MS = 120;

interface HitItem extends vscode.QuickPickItem {
  hit?: SearchHit & { guildId: string; serverName: string };
  more?: true;
}

/**
 * "Search Messages...": a quick pick that searches as you type, one server's
 * vault or all of them, and opens the transcript at the chosen message with
 * that message highlighted.
 */
export function registerSearchCommand(services: Services): vscode.Disposable[] {
  const highlight = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  return [highlight, registerCommand(services, 'guildVault.searchMessages', 'Search Messages', (arg?: unknown) => searchCommand(services, highlight, arg))];
}

async function searchCommand(services: Services, highlight: vscode.TextEditorDecorationType, arg: unknown): Promise<RevealedMessage | undefined> {
  const args = argsOf(arg);
  const server = args.server;
  const chosen = await pickResult(services, server, args.query ?? '', args.allVaults === true || !server);
  if (!chosen) return undefined;
  return revealMessage(services, highlight, chosen);
}

function argsOf(arg: unknown): { server?: Pick<ServerRef, 'guildId' | 'name'>; query?: string; allVaults?: boolean } {
  if (typeof arg === 'string') return { server: { guildId: arg, name: arg } };
  if (typeof arg !== 'object' || arg === null) return {};
  const nested = (arg as { server?: unknown }).server;
  if (isServerRef(nested)) return { server: nested };
  const plain = arg as SearchMessagesArgs;
  return { server: plain.guildId ? { guildId: plain.guildId, name: plain.guildId } : undefined, query: plain.query, allVaults: plain.allVaults };
}

/** The picker: searches on every pause in typing; resolves with the chosen hit, or undefined when dismissed. */
function pickResult(services: Services, server: Pick<ServerRef, 'guildId' | 'name'> | undefined, initial: string, startWide: boolean): Promise<HitItem['hit']> {
  const picker = vscode.window.createQuickPick<HitItem>();
  const serverName = server ? (services.vaults.guildName(server.guildId) ?? server.name) : undefined;
  const widen: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('globe'), tooltip: 'Search all vaults' };
  const narrow: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('server'), tooltip: `Search ${serverName ?? 'this server'} only` };
  let wide = startWide;
  let limit = PAGE;
  let timer: NodeJS.Timeout | undefined;
  picker.placeholder = 'Words, "phrases", -word, from:NAME, in:CHANNEL, has:file|image|link, before:/after:/during:DATE, pinned:true';
  picker.matchOnDescription = false;
  picker.matchOnDetail = false;
  picker.value = initial;
  const describe = () => {
    picker.title = wide || !server ? 'Search Messages in all vaults' : `Search Messages in ${serverName}`;
    picker.buttons = server ? [wide ? narrow : widen] : [];
  };
  // The search runs in a job worker; typing on cancels the one in flight, whose answer is then dropped.
  let inFlight: AbortController | undefined;
  const run = () => {
    inFlight?.abort();
    const search = (inFlight = new AbortController());
    picker.busy = true;
    const show = (items: HitItem[]) => {
      if (search.signal.aborted) return; // a newer search is under way
      picker.items = items;
      picker.busy = false;
    };
    resultItems(services, picker.value, wide || !server ? undefined : server.guildId, limit, search.signal).then(show, (error: unknown) => {
      if (!isGuildVaultError(error, 'CANCELLED')) show([note('error', describeError(error))]);
    });
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, TYPING_PAUSE_MS);
  };
  describe();
  return new Promise((resolve) => {
    let result: HitItem['hit'];
    picker.onDidChangeValue(() => {
      limit = PAGE;
      schedule();
    });
    picker.onDidTriggerButton(() => {
      wide = !wide;
      describe();
      run();
    });
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0];
      if (item?.more) {
        limit = Math.min(MAX_RESULTS, limit + PAGE);
        run();
        return;
      }
      if (!item?.hit) return; // a notice or a problem line
      result = item.hit;
      picker.hide();
    });
    picker.onDidHide(() => {
      clearTimeout(timer);
      inFlight?.abort(); // its worker stops; nothing is shown any more
      picker.dispose();
      resolve(result);
    });
    picker.show();
    if (initial) run();
  });
}

/**
 * Results for the picker, newest first across the vaults searched, with
 * notices and problems on top. The vaults are searched in a job worker: a
 * query on a big vault takes far longer than a frame.
 */
async function resultItems(services: Services, text: string, guildId: string | undefined, limit: number, signal: AbortSignal): Promise<HitItem[]> {
  if (!text.trim()) return [];
  const guildIds = guildId ? [guildId] : services.vaults.guildIds();
  const notes: HitItem[] = [];
  const hits: NonNullable<HitItem['hit']>[] = [];
  let more = false;
  const options = { limit, prefixLast: true, aliases: readSettings().privacyAliases };
  const found = guildIds.length ? await services.workers.run({ kind: 'search', vaultRoot: services.vaults.store().root, params: { guildIds, text, options } }, undefined, new Job({ signal })) : [];
  for (const { guildId: id, result, problem } of found) {
    const serverName = services.vaults.guildName(id) ?? `Server ${id}`;
    if (problem !== undefined) {
      notes.push(note('error', `${serverName}: ${problem}`));
      continue;
    }
    for (const line of new Set(result.problems)) notes.push(note('warning', guildIds.length > 1 && !result.query.problems.includes(line) ? `${serverName}: ${line}` : line));
    if (result.notice) notes.push(note('info', `${serverName}: ${result.notice}`));
    hits.push(...result.hits.map((hit) => ({ ...hit, guildId: id, serverName })));
    more ||= result.next !== undefined;
  }
  // Snowflakes of every server share one clock: newest first across vaults.
  hits.sort((a, b) => compareSnowflakes(b.messageId, a.messageId));
  more ||= hits.length > limit;
  const items: HitItem[] = [...dedupe(notes), ...hits.slice(0, limit).map((hit) => hitItem(hit, guildId === undefined))];
  if (guildIds.length === 0) items.push(note('info', 'There is no vault yet: back up a server first.'));
  else if (hits.length === 0 && notes.length === 0) items.push(note('search', 'No messages found.'));
  if (more && limit < MAX_RESULTS) items.push({ label: '$(ellipsis) Show more results', alwaysShow: true, more: true });
  return items;
}

function hitItem(hit: NonNullable<HitItem['hit']>, showServer: boolean): HitItem {
  const marks = hitMarks(hit);
  return {
    label: escapeIcons(plainText(hit.snippet) || '(no text)'),
    description: escapeIcons(`${plainText(hit.authorName)} · ${hitWhere(hit)}`),
    detail: escapeIcons(`${hitTime(hit)}${showServer ? ` · ${plainText(hit.serverName)}` : ''}${marks ? ` · ${marks}` : ''}`),
    alwaysShow: true, // the picker's own filter must not hide what the index found
    hit,
  };
}

function note(icon: string, text: string): HitItem {
  return { label: `$(${icon}) ${escapeIcons(plainText(text))}`, alwaysShow: true };
}

function dedupe(items: HitItem[]): HitItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.label) && seen.add(item.label));
}

/**
 * Opens the transcript holding the message (its month, for channels too big to
 * open whole), scrolls to it and highlights its lines.
 */
async function revealMessage(services: Services, highlight: vscode.TextEditorDecorationType, hit: NonNullable<HitItem['hit']>): Promise<RevealedMessage> {
  const aliases = readSettings().privacyAliases;
  const channel = services.vaults.readExisting(hit.guildId, (vault) => getArchivedChannel(vault, hit.channelId));
  const month = channel && channel.messageCount > DEFAULTS.monthlyTranscriptsAbove ? hit.timestamp.slice(0, 7) : undefined;
  // Rendering a busy month takes longer than a frame: in a job worker, as the document itself is.
  const params = { guildId: hit.guildId, channelId: hit.channelId, options: { month, aliases } };
  const rendered = await services.workers.run({ kind: 'transcriptLines', vaultRoot: services.vaults.store().root, params }, undefined, new Job());
  const lines = new Map(rendered.lines);
  const total = rendered.lineCount;
  const label = channel ? channelLabel(channel) : hitWhere(hit);
  const uri = services.documents.uriFor({ kind: 'transcript', guildId: hit.guildId, channelId: hit.channelId, month, aliases, title: `${hit.serverName} ${label}${month ? ` ${month}` : ''}` });
  const startLine = lines.get(hit.messageId) ?? 0;
  const following = [...lines.values()].filter((line) => line > startLine);
  const endLine = Math.max(startLine, (following.length ? Math.min(...following) : total - 1) - 1);
  const editor = await vscode.window.showTextDocument(uri, { preview: true });
  const range = new vscode.Range(startLine, 0, endLine, Number.MAX_SAFE_INTEGER);
  editor.selection = new vscode.Selection(startLine, 0, startLine, 0);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  editor.setDecorations(highlight, [range]);
  return { uri: uri.toString(), messageId: hit.messageId, startLine, endLine };
}
