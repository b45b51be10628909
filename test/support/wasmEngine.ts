// Loaded first by .mocharc.wasm.json: the suites it lists run on the WASM engine (see engine.ts).
process.env.GUILD_VAULT_ENGINE = 'wasm';
