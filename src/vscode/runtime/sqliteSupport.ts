export { detectNodeSqlite } from '../../core/runtime/nodeSqlite';
