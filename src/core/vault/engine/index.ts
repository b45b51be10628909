export type { Database, EngineName, NamedParameters, Row, RunResult, SqlInputValue, SqlOutputValue, Statement, StorageEngine } from './database';
export { ENGINE_CHOICES, currentEngine, currentSelection, parseEngineChoice, resolveEngine, selectEngine, type EngineChoice, type EngineSelection } from './selectEngine';
export { WASM_MAX_VAULT_BYTES } from './wasmEngine';
