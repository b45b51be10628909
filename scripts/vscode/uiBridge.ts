// A small HTTP endpoint on 127.0.0.1 through which code in the extension host (the suite, the
// screenshot script) reaches the workbench page the way a person does: read what the screen
// shows, click a button, type into an input box, take a screenshot. Only the offline runner has a
// page to drive; its address reaches the extension host as GUILD_VAULT_UI_BRIDGE.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';

/** What the extension host may ask; test/vscode/helpers/ui.ts is the client. */
export type UiRequest =
  | { action: 'texts'; selector: string }
  | { action: 'waitFor'; selector: string; hasText?: string; timeoutMs?: number; state?: 'visible' | 'hidden' }
  | { action: 'click'; selector: string; hasText?: string; timeoutMs?: number; button?: 'left' | 'right' }
  | { action: 'hover'; selector: string; hasText?: string; timeoutMs?: number }
  | { action: 'type'; text: string }
  | { action: 'press'; key: string }
  | { action: 'screenshot'; path: string; selector?: string }
  | { action: 'browserStorage' };

export interface UiBridge {
  url: string;
  /** The page requests go to; set when the workbench opens. */
  attach(page: Page): void;
  close(): Promise<void>;
}

export async function startUiBridge(): Promise<UiBridge> {
  let page: Page | undefined;
  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        if (!page) throw new Error('no workbench page is attached');
        const result = await handle(page, JSON.parse(await readBody(request)) as UiRequest);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
      } catch (error) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
      }
    })();
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attach: (attached) => (page = attached),
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}

async function handle(page: Page, request: UiRequest): Promise<unknown> {
  switch (request.action) {
    case 'texts':
      return page.locator(request.selector).allInnerTexts();
    case 'waitFor': {
      const target = locate(page, request.selector, request.hasText);
      await target.waitFor({ state: request.state ?? 'visible', timeout: request.timeoutMs ?? 10_000 });
      return request.state === 'hidden' ? null : target.innerText();
    }
    case 'click': {
      const target = locate(page, request.selector, request.hasText);
      await target.click({ timeout: request.timeoutMs ?? 10_000, button: request.button ?? 'left' });
      return null;
    }
    case 'hover':
      await locate(page, request.selector, request.hasText).hover({ timeout: request.timeoutMs ?? 10_000 });
      return null;
    case 'type':
      await page.keyboard.type(request.text);
      return null;
    case 'press':
      await page.keyboard.press(request.key);
      return null;
    case 'browserStorage':
      return dumpBrowserStorage(page);
    case 'screenshot':
      if (request.selector) await page.locator(request.selector).first().screenshot({ path: request.path });
      else await page.screenshot({ path: request.path });
      return request.path;
  }
}

/**
 * Everything the workbench keeps in the browser (localStorage and every IndexedDB store), as
 * text: in a browser workbench, VS Code's state (an extension's globalState among it) lives there.
 */
async function dumpBrowserStorage(page: Page): Promise<string> {
  // A string, not a function: it runs in the page, and this project compiles without DOM types.
  return page.evaluate<string>(`(async () => {
    const decoder = new TextDecoder();
    const text = (value) => value instanceof Uint8Array ? decoder.decode(value)
      : value instanceof ArrayBuffer ? decoder.decode(new Uint8Array(value))
      : typeof value === 'string' ? value : JSON.stringify(value);
    const lines = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      lines.push('localStorage ' + key + ' = ' + localStorage.getItem(key));
    }
    for (const info of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open(info.name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const [keys, values] = await new Promise((resolve, reject) => {
          const store = db.transaction(storeName, 'readonly').objectStore(storeName);
          const keys = store.getAllKeys();
          const values = store.getAll();
          values.onsuccess = () => resolve([keys.result, values.result]);
          values.onerror = () => reject(values.error);
        });
        values.forEach((value, index) => lines.push('indexedDB ' + info.name + '/' + storeName + ' ' + String(keys[index]) + ' = ' + text(value)));
      }
      db.close();
    }
    return lines.join('\\n');
  })()`);
}

function locate(page: Page, selector: string, hasText?: string) {
  const all = page.locator(selector);
  return (hasText === undefined ? all : all.filter({ hasText })).first();
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolveBody(body));
    request.on('error', reject);
  });
}
