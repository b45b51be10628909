/**
 * The pages' only stylesheet, inline (pages are self-contained). Discord's dark
 * and light palettes as CSS variables: the reader's system setting picks one, and
 * the Auto / Dark / Light switch in the header overrides it with radio buttons and
 * sibling selectors, so the theme works without any script.
 */
export const PAGE_CSS = `
:root{color-scheme:dark light}
.theme{position:absolute;opacity:0;pointer-events:none}
.app{--bg:#313338;--bg2:#2b2d31;--bg3:#1e1f22;--text:#dbdee1;--strong:#f2f3f5;--muted:#949ba4;--link:#00a8fc;--mention:rgba(88,101,242,.3);--mention-text:#c9cdfb;--border:#3f4147;--hover:#2e3035;--spoiler:#1e1f22;--deleted:rgba(242,63,66,.1)}
@media (prefers-color-scheme:light){#theme-auto:checked~.app{--bg:#fff;--bg2:#f2f3f5;--bg3:#e3e5e8;--text:#313338;--strong:#060607;--muted:#5c5e66;--link:#006ce7;--mention:rgba(88,101,242,.15);--mention-text:#505cdc;--border:#e1e2e4;--hover:#f7f7f8;--spoiler:#c4c9ce;--deleted:rgba(242,63,66,.08)}}
#theme-light:checked~.app{--bg:#fff;--bg2:#f2f3f5;--bg3:#e3e5e8;--text:#313338;--strong:#060607;--muted:#5c5e66;--link:#006ce7;--mention:rgba(88,101,242,.15);--mention-text:#505cdc;--border:#e1e2e4;--hover:#f7f7f8;--spoiler:#c4c9ce;--deleted:rgba(242,63,66,.08)}
html,body{margin:0;padding:0}
.app{background:var(--bg);color:var(--text);font:16px/1.375 "gg sans","Noto Sans","Helvetica Neue",Helvetica,Arial,sans-serif;min-height:100vh}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
.top{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:10px 16px;background:var(--bg);border-bottom:1px solid var(--bg3);box-shadow:0 1px 0 rgba(0,0,0,.2)}
.top .guild{display:flex;align-items:center;gap:8px;color:var(--muted);font-weight:600}
.top .guild img{width:24px;height:24px;border-radius:50%}
.top h1{margin:0;font-size:16px;color:var(--strong)}
.top .topic{color:var(--muted);font-size:14px;max-width:50ch;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.top .spacer{flex:1}
.themes label{cursor:pointer;color:var(--muted);font-size:13px;padding:2px 6px;border-radius:4px}
#theme-auto:checked~.app label[for=theme-auto],#theme-dark:checked~.app label[for=theme-dark],#theme-light:checked~.app label[for=theme-light]{background:var(--bg3);color:var(--strong)}
.months{display:flex;gap:6px;flex-wrap:wrap;font-size:13px;padding:6px 16px;background:var(--bg2)}
.months .current{color:var(--strong);font-weight:600}
.messages{padding:8px 0 24px}
.group{display:grid;grid-template-columns:56px 1fr;padding:2px 48px 2px 16px;margin-top:17px}
.group.followup{margin-top:0}
.group:hover{background:var(--hover)}
.avatar{width:40px;height:40px;border-radius:50%;margin-top:2px;background:var(--bg3);object-fit:cover}
.avatar.default{display:flex;align-items:center;justify-content:center;font-weight:600;color:#fff;background:#5865f2}
.head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.author{font-weight:500;color:var(--strong)}
.badge{font-size:10px;font-weight:600;padding:1px 4px;border-radius:3px;background:#5865f2;color:#fff;text-transform:uppercase}
.time,.edited,.stamp{font-size:12px;color:var(--muted)}
.content{white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.content.jumbo .emoji{width:48px;height:48px}
.deleted{background:var(--deleted);border-left:2px solid #f23f42;padding-left:6px}
.marker{font-size:11px;color:var(--muted);margin-left:4px}
.marker.del{color:#f23f42}
.reply{grid-column:1/-1;display:flex;gap:4px;align-items:center;font-size:14px;color:var(--muted);margin-left:18px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.reply a{color:inherit;display:flex;gap:4px;overflow:hidden}
.reply::before{content:"";display:inline-block;width:30px;height:8px;border-left:2px solid var(--border);border-top:2px solid var(--border);border-top-left-radius:6px;margin-top:8px;flex:none}
.reply .who{font-weight:500}
.emoji{width:22px;height:22px;vertical-align:bottom;object-fit:contain}
.mention{background:var(--mention);color:var(--mention-text);border-radius:3px;padding:0 2px;font-weight:500}
code.inline{background:var(--bg2);border-radius:4px;padding:0 .2em;font-size:85%;font-family:Consolas,"Andale Mono WT","Courier New",monospace}
pre.code{background:var(--bg2);border:1px solid var(--bg3);border-radius:4px;padding:8px;white-space:pre-wrap;font-size:14px;font-family:Consolas,"Andale Mono WT","Courier New",monospace;max-width:90ch}
blockquote{margin:0;padding-left:12px;border-left:4px solid var(--border)}
.spoiler{background:var(--spoiler);color:transparent;border-radius:3px;cursor:pointer}
.spoiler *{visibility:hidden}
.spoiler:hover,.spoiler:focus{background:var(--mention);color:inherit}
.spoiler:hover *,.spoiler:focus *{visibility:visible}
.md-h1{font-size:1.5em;margin:8px 0 0}.md-h2{font-size:1.25em;margin:8px 0 0}.md-h3{font-size:1em;margin:8px 0 0}
.subtext{color:var(--muted);font-size:.8em}
ul,ol{margin:4px 0;padding-left:24px;white-space:normal}
.attachments,.embeds,.stickers{display:flex;flex-direction:column;gap:4px;margin-top:4px}
.attachment-image{max-width:min(400px,100%);max-height:300px;border-radius:8px;display:block}
video,audio{max-width:min(400px,100%);border-radius:8px}
.file{display:flex;gap:8px;align-items:center;background:var(--bg2);border:1px solid var(--bg3);border-radius:8px;padding:10px;max-width:400px}
.file .size{color:var(--muted);font-size:12px}
.embed{background:var(--bg2);border-left:4px solid var(--bg3);border-radius:4px;padding:8px 16px 12px 12px;max-width:520px;display:grid;grid-template-columns:1fr auto;gap:4px 12px}
.embed>*{grid-column:1}
.embed .thumb{grid-column:2;grid-row:1/6;max-width:80px;max-height:80px;border-radius:4px}
.embed .e-author{font-size:14px;font-weight:600;color:var(--strong)}
.embed .e-title{font-weight:600;color:var(--strong)}
.embed .e-desc{font-size:14px;white-space:pre-wrap}
.embed .fields{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}
.embed .field{grid-column:1/-1}.embed .field.inline{grid-column:auto}
.embed .f-name{font-size:14px;font-weight:600;color:var(--strong)}
.embed .f-value{font-size:14px;white-space:pre-wrap}
.embed .e-image{max-width:100%;border-radius:4px;margin-top:8px}
.embed .e-footer{font-size:12px;color:var(--muted)}
.sticker{width:160px;height:160px;object-fit:contain}
.reactions{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}
.reaction{display:inline-flex;gap:6px;align-items:center;background:var(--bg2);border:1px solid var(--bg3);border-radius:8px;padding:2px 6px;font-size:14px}
.reaction .emoji{width:16px;height:16px}
.system{color:var(--muted);padding:4px 48px 4px 72px;margin-top:8px}
.system .author{color:var(--strong)}
.thread-link{display:inline-block;margin-top:4px;background:var(--bg2);border:1px solid var(--bg3);border-radius:8px;padding:6px 10px;font-size:14px}
.forwarded{border-left:4px solid var(--border);padding-left:10px;margin-top:4px}
.forwarded .label{font-size:12px;color:var(--muted);font-style:italic}
.poll{background:var(--bg2);border:1px solid var(--bg3);border-radius:8px;padding:10px;max-width:420px;margin-top:4px}
.poll .q{font-weight:600;color:var(--strong)}
.withheld{color:var(--muted);font-style:italic}
.footer{color:var(--muted);font-size:12px;padding:16px;border-top:1px solid var(--bg3)}
.index{max-width:860px;margin:0 auto;padding:16px}
.index h2{font-size:12px;text-transform:uppercase;color:var(--muted);margin:20px 0 4px}
.index ul{list-style:none;padding-left:0;margin:0}
.index li{padding:3px 8px;border-radius:4px}
.index li:hover{background:var(--hover)}
.index li ul{padding-left:20px}
.index .count{color:var(--muted);font-size:12px;margin-left:6px}
.index .months a{font-size:12px;margin-right:6px}
.hljs-keyword,.hljs-selector-tag,.hljs-built_in{color:#ff7b72}.hljs-string,.hljs-attr{color:#a5d6ff}.hljs-number,.hljs-literal{color:#79c0ff}.hljs-comment{color:#8b949e;font-style:italic}.hljs-title,.hljs-function{color:#d2a8ff}.hljs-type,.hljs-class{color:#ffa657}
`;
