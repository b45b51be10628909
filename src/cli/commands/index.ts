/**
 * The command table. Each command is one file in this folder exporting a
 * CliCommand; add yours to this list (the order is the order in --help).
 */
import type { CliCommand } from '../command';
import { serversCommand } from './servers';

export const COMMANDS: CliCommand[] = [serversCommand];
