import * as assert from 'node:assert/strict';
import { escapeControls, plainText } from '../../../src/core/text';

// Names and text from Discord, as a hostile server would send them.
const HOSTILE = 'pay\u001b]0;pwned\u0007 \u009b31m now\r\u202egnp.exe\u2066x\u2069\u061c\ttab\nline';

describe('text: characters that act instead of print', () => {
  it('escapes each of them where text is written out, keeping line breaks unless the text must stay on one line', () => {
    assert.equal(escapeControls(HOSTILE), 'pay\\u001b]0;pwned\\u0007 \\u009b31m now\\u000d\\u202egnp.exe\\u2066x\\u2069\\u061c\ttab\nline');
    assert.equal(escapeControls(HOSTILE, { lineBreaks: true }), 'pay\\u001b]0;pwned\\u0007 \\u009b31m now\\u000d\\u202egnp.exe\\u2066x\\u2069\\u061c\\u0009tab\\u000aline');
  });

  it('turns the same characters, line breaks and tabs into spaces for one line of a UI', () => {
    assert.equal(plainText(HOSTILE), 'pay ]0;pwned   31m now  gnp.exe x   tab line');
    assert.equal(plainText('Plain name, émoji 🎉'), 'Plain name, émoji 🎉');
  });
});
