import * as assert from 'node:assert/strict';
import { errorNotificationText, shownText } from '../../../src/vscode/text/shownText';

/** The link pattern of VS Code's notifications (vs/base/common/linkedText, 1.139): such a link runs its command when clicked. */
const VSCODE_NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('vscode: text from Discord in rows and notifications', () => {
  it("an error's detail cannot put a working link, a reversed line or a second line into the notification", () => {
    // An API error quoting a channel name, as Discord's 50035 errors do.
    const detail = 'Invalid Form Body: name "[Retry](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)\u202eevil\nerror: fake" is invalid';
    const line = errorNotificationText('Back Up Server failed', detail);
    assert.equal([...line.matchAll(VSCODE_NOTIFICATION_LINK)].length, 0, line);
    assert.ok(!/[\u202e\n]/.test(line), 'no bidi override, no line break');
    assert.ok(line.startsWith('Guild Vault: Back Up Server failed: Invalid Form Body'));
    assert.equal(shownText('plain name'), 'plain name');
  });
});
