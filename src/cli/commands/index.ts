/**
 * The command table. Each command is one file in this folder exporting a
 * CliCommand; add yours to this list (the order is the order in --help).
 */
import type { CliCommand } from '../command';
import { backupCommand } from './backup';
import { bundleCommand } from './bundle';
import { demoCommand } from './demo';
import { emulatorCommand } from './emulator';
import { exportCommand } from './export';
import { gcCommand } from './gc';
import { healthCommand } from './health';
import { restoreCommand } from './restore';
import { serversCommand } from './servers';
import { snapshotCommand } from './snapshot';
import { snapshotsCommand } from './snapshots';
import { syncCommand } from './sync';
import { verifyCommand } from './verify';

export const COMMANDS: CliCommand[] = [serversCommand, healthCommand, backupCommand, syncCommand, snapshotCommand, snapshotsCommand, restoreCommand, exportCommand, verifyCommand, bundleCommand, gcCommand, demoCommand, emulatorCommand];
