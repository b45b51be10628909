import * as assert from 'node:assert/strict';
import { renderMarkdown, type MarkdownNames } from '../../../src/core/export/formats/html/markdown';

const names: MarkdownNames = {
  user: (id) => ({ name: id === '300000000000000001' ? 'Ana <3' : `user ${id}`, color: '#e91e63' }),
  role: () => ({ name: 'Moderator', color: '#3498db' }),
  channel: (id) => ({ label: '#general', href: `general-${id}.html` }),
  emoji: (id, name) => `media/${name}-${id.slice(0, 5)}.png`,
};

describe('export: Discord markdown to HTML', () => {
  it('renders what Discord renders', () => {
    assert.equal(renderMarkdown('**b** *i* __u__ ~~s~~ `c` ||spoiler||', names), '<strong>b</strong> <em>i</em> <u>u</u> <s>s</s> <code class="inline">c</code> <span class="spoiler" tabindex="0">spoiler</span>');
    assert.equal(renderMarkdown('# Title\n## Sub\n-# small', names), '<h3 class="md-h1">Title</h3><h4 class="md-h2">Sub</h4><small class="subtext">small</small>');
    assert.equal(renderMarkdown('- one\n- two\n1. first\n2. second', names), '<ul><li>one</li><li>two</li></ul><ol start="1"><li>first</li><li>second</li></ol>');
    assert.equal(renderMarkdown('> quoted\nnot', names), '<blockquote>quoted<br></blockquote>not');
    assert.equal(renderMarkdown('[masked](https://example.com/a?b=1&c=2)', names), '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">masked</a>');
    assert.equal(
      renderMarkdown('<@300000000000000001> <@&500000000000000001> <#200000000000000001> <:solder:849978145074184192>', names),
      '<span class="mention" style="color:#e91e63">@Ana &lt;3</span> <span class="mention role" style="color:#3498db">@Moderator</span> ' +
        '<a class="mention" href="general-200000000000000001.html">#general</a> <img class="emoji" src="media/solder-84997.png" alt=":solder:" title=":solder:">',
    );
    assert.match(renderMarkdown('<t:1700000000:F>', names), /<time class="timestamp" datetime="2023-11-14T22:13:20.000Z">2023-11-14 22:13 UTC<\/time>/);
  });

  it('highlights code blocks of known languages, escaped', () => {
    const html = renderMarkdown('```js\nconst a = "<b>";\n```', names);
    assert.match(html, /^<pre class="code"><code><span class="hljs-keyword">const<\/span> a = <span class="hljs-string">&quot;&lt;b&gt;&quot;<\/span>;<\/code><\/pre>$/);
    assert.equal(renderMarkdown('```nosuchlang\n<i>\n```', names), '<pre class="code"><code>&lt;i&gt;</code></pre>');
  });

  it('never links anything but http(s)', () => {
    for (const target of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example/x']) {
      const html = renderMarkdown(`[x](${target})`, names);
      assert.doesNotMatch(html, /<a /, target);
    }
  });
});
