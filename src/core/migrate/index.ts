/**
 * The migration shuttle: an archived server's messages replayed into another
 * server through webhooks, after its structure was restored there.
 *
 * - planMigration(vault, client, options): channels, counts, files, time at the webhook limits, problems.
 * - migrateMessages(vault, client, options): runs it; resumable, never sends a message twice.
 * - describeMigrationPlan / describeMigrationReport: the plan and the outcome as text.
 */
export * from './types';
export { migrateMessages } from './migrateMessages';
export { planMigration, uploadLimitForTier, type MigrationSetup } from './planMigration';
export { describeMigrationPlan, describeMigrationReport } from './describe';
export { MIGRATION_WEBHOOK_NAME, webhookUsername } from './webhookNames';
export { rewriteContent } from './contentRewrite';
