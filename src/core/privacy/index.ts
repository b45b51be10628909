export { baseAlias, ensureAlias, aliasesFor } from './aliases';
