/**
 * The command table. Each command is one file in this folder exporting a
 * CliCommand; add yours to this list (the order is the order in --help).
 */
import type { CliCommand } from '../command';
import { healthCommand } from './health';
import { serversCommand } from './servers';
import { snapshotCommand } from './snapshot';
import { snapshotsCommand } from './snapshots';

export const COMMANDS: CliCommand[] = [serversCommand, healthCommand, snapshotCommand, snapshotsCommand];
