/** Words and strings the generator draws from: plain text and unicode of every kind. */

export const FIRST_NAMES = [
  'Ada', 'Bjørn', 'Chloé', 'Dmitri', 'Eun-ji', 'Farah', 'Gianluca', 'Hana', 'Ikaika', 'José', 'Kwame', 'Léa',
  'Mateus', 'Nadia', 'Oğuz', 'Priya', 'Quinn', 'Rūta', 'Søren', 'Tomasz', 'Ulla', 'Valentina', 'Wei', 'Xóchitl',
  'Yusuf', 'Zoë', 'Aroha', 'Björk', 'Celia', 'Đorđe', 'Émile', 'Fatima', 'Guðrún', 'Hiroshi', 'Ingrid', 'Jae',
];
export const HANDLE_WORDS = [
  'pixel', 'maker', 'fern', 'comet', 'otter', 'byte', 'lumen', 'quartz', 'ember', 'nova', 'solder', 'moss',
  'drift', 'kiln', 'loom', 'yarn', 'gear', 'glyph', 'tide', 'sprout',
];
/** Display names that exercise unicode: accents, CJK, RTL, emoji, combining marks, astral planes. */
export const DISPLAY_NAMES = [
  'Ada 🛠️', 'Bjørn Ødegård', '陈静', 'מרים', 'فاطمة الزهراء', 'Zoë ✨', 'Дмитрий', 'Ελένη', 'ผู้ใช้', '김민준',
  'Z̷a̷l̷g̷o̷', '𝓕𝓪𝓷𝓬𝔂', '👩‍👩‍👧‍👦 family', 'Ñandú', 'नमस्ते', 'Ｆｕｌｌｗｉｄｔｈ', 'ʇxǝʇ uʍop ǝpısdn', '🏳️‍🌈 Rain', 'Ōkami', 'Ṩpëçïål',
];

export const WORDS = (
  'the a solder board kiln glaze yarn loom pattern sketch print filament nozzle layer resin mould chisel ' +
  'weekend project tutorial idea photo question answer help thanks great nice looks awesome tried finally ' +
  'works broken fixed again today tomorrow meetup workshop gallery update release version draft feedback ' +
  'color palette texture brush canvas stitch needle thread bobbin sensor motor servo firmware wiring'
).split(' ');

/** Whole lines of unicode of every kind, used as some messages' content. */
export const UNICODE_LINES = [
  'Emoji: 😀 🎉 🧵 🪡 🛠️ 👍🏽 👩🏿‍💻 🧑‍🤝‍🧑 ❤️‍🔥 🫶 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🇯🇵 🇧🇷',
  '日本語のメッセージです。明日のワークショップは午後三時から。',
  '中文消息：我们周末见！',
  '한국어 메시지: 작품 사진 올려주세요!',
  'עברית: שלום לכולם, מה שלומכם?',
  'العربية: مرحبا بالجميع في الخادم!',
  'Mixed RTL: hello مرحبا world עולם 123',
  'Combining: e\u0301 a\u0308 n\u0303 — Z̴̡̛a̵͎̐l̶̰̿g̸̣͝o̵̫͋',
  'Math: ∀x∈ℝ: x²≥0, ∑ᵢ aᵢ ≈ ∞, 𝔸𝔹ℂ 𝕩𝕪𝕫',
  'Astral: 𝄞 𐍈 𓀀 🀄 𝟘𝟙𝟚',
  'Zero width: a\u200bb\u200cc\u200dd and a BOM \ufeff here',
  'Thai ภาษาไทย, Devanagari हिन्दी, Tamil தமிழ், Georgian ქართული, Amharic አማርኛ',
  'Quotes and dashes: “curly” ‘single’ «guillemets» — en–dash … ellipsis',
  'Markdown: **bold** *italic* __underline__ ~~strike~~ `code` ||spoiler|| > quote',
  '```ts\nconst vault = await Vault.open(dir);\n```',
  'Line one\nLine two\n\nLine four after a blank line',
  'Surrogate edge: 🧑‍🦯‍➡️ 🐦‍🔥 🍋‍🟩 (newer ZWJ sequences)',
];

export const UNICODE_EMOJI = ['👍', '❤️', '😂', '🎉', '🔥', '👀', '✅', '🧵', '🙏', '🇫🇷', '👩🏽‍🎨', '1️⃣'];

export const BAN_REASONS = [
  'Spam links in #general',
  'Repeated harassment after two warnings',
  null,
  'Raid account (joined with 40 others)',
  'Scam DMs: «free nitro»',
  'Ban evasion of a previous account',
  'NSFW in SFW channels 🚫',
];

export const TOPICS = [
  'Say hi! Introduce yourself and what you make.',
  'Show your finished work 🎨 (one post per project, please)',
  'Anything goes, within the rules.',
  'Server news. Only staff can post.',
  'Questions, answers, and the occasional rant about slicers.',
];
