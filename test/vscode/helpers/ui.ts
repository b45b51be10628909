// Client of the offline runner's UI bridge (scripts/vscode/uiBridge.ts): lets a test see and
// touch the workbench as a person does. Absent under @vscode/test-electron: tests that need it
// skip there (`requireUi(this)`).
import type { UiRequest } from '../../../scripts/vscode/uiBridge';

const bridgeUrl = process.env.GUILD_VAULT_UI_BRIDGE;

export const hasUi = Boolean(bridgeUrl);

/** Skips the calling test (or hook) where there is no page to look at. */
export function requireUi(context: Mocha.Context): void {
  if (!hasUi) context.skip();
}

async function ask<T>(request: UiRequest): Promise<T> {
  if (!bridgeUrl) throw new Error('No UI bridge: run the suite with `npm run test:vscode`');
  const response = await fetch(bridgeUrl, { method: 'POST', body: JSON.stringify(request) });
  const answer = (await response.json()) as { ok: boolean; result?: T; error?: string };
  if (!answer.ok) throw new Error(`UI: ${request.action} ${'selector' in request ? request.selector : ''}: ${answer.error}`);
  return answer.result as T;
}

export const ui = {
  /** innerText of every element the selector matches. */
  texts: (selector: string) => ask<string[]>({ action: 'texts', selector }),
  /** Waits until an element (with that text) is visible and returns its innerText. */
  waitFor: (selector: string, hasText?: string, timeoutMs?: number) => ask<string>({ action: 'waitFor', selector, hasText, timeoutMs }),
  waitForHidden: (selector: string, hasText?: string, timeoutMs?: number) => ask<null>({ action: 'waitFor', selector, hasText, timeoutMs, state: 'hidden' }),
  click: (selector: string, hasText?: string, timeoutMs?: number) => ask<null>({ action: 'click', selector, hasText, timeoutMs }),
  rightClick: (selector: string, hasText?: string, timeoutMs?: number) => ask<null>({ action: 'click', selector, hasText, timeoutMs, button: 'right' }),
  hover: (selector: string, hasText?: string, timeoutMs?: number) => ask<null>({ action: 'hover', selector, hasText, timeoutMs }),
  /**
   * Runs an entry of the open context menu. Hover and Enter, not a click: VS Code's menus ignore
   * a click that comes right after they open (it could be the right button's release).
   */
  chooseMenuItem: async (label: string): Promise<void> => {
    await ask<null>({ action: 'hover', selector: '.monaco-menu .action-item:not(.disabled) .action-label', hasText: label });
    await ask<null>({ action: 'press', key: 'Enter' });
  },
  type: (text: string) => ask<null>({ action: 'type', text }),
  press: (key: string) => ask<null>({ action: 'press', key }),
  screenshot: (path: string, selector?: string) => ask<string>({ action: 'screenshot', path, selector }),
  /** localStorage and IndexedDB of the workbench page, as text lines. */
  browserStorage: () => ask<string>({ action: 'browserStorage' }),
};

/** Selectors of the workbench parts the tests look at. */
export const parts = {
  /**
   * A notification in the notifications center. The smoke-test driver the runner needs keeps
   * notifications out of toasts (they go straight to the center), so tests open the center.
   */
  notification: '.notifications-center .notification-list-item',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  serversView: '.pane:has(.pane-header[aria-label^="Servers"])',
  serversRows: '.pane:has(.pane-header[aria-label^="Servers"]) .monaco-list-row',
  tabs: '.tabs-container .tab',
};
