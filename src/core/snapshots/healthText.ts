import type { HealthReport, IntentState } from './health';

/**
 * A health report as text: what the bot can and cannot read in a server, and
 * what each gap costs the backup, the worst first. One rendering for every
 * front end: `guild-vault health` prints it, VS Code's "Show Health" shows it.
 * `checkedAt` is the time of the check as the front end writes times.
 */
export function renderHealthDocument(report: HealthReport, checkedAt: string): string {
  const lines = [
    `Health of ${report.guildName} (${report.guildId})`,
    `Bot: ${report.botName} (${report.botId})${report.isOwner ? ', owner of the server' : ''}`,
    `Checked: ${checkedAt}`,
    '',
  ];
  if (report.problems.length === 0) {
    lines.push('Everything Guild Vault backs up is readable by this bot.', '');
  }
  for (const severity of ['error', 'warning', 'info'] as const) {
    const problems = report.problems.filter((problem) => problem.severity === severity);
    if (problems.length === 0) continue;
    lines.push(`${HEADINGS[severity]} (${problems.length})`);
    for (const problem of problems) {
      lines.push(`  - ${problem.what}`, `      costs: ${problem.cost}`, `      fix:   ${problem.fix}`);
    }
    lines.push('');
  }
  lines.push('Intents');
  lines.push(`  Message Content: ${INTENT_STATES[report.intents.messageContent]}`);
  lines.push(`  Server Members:  ${INTENT_STATES[report.intents.guildMembers]}`);
  lines.push('');
  lines.push(`Server-wide permissions (${report.permissions.length})`);
  for (const permission of [...report.permissions].sort()) lines.push(`  ${permission}`);
  return `${lines.join('\n')}\n`;
}

const HEADINGS = { error: 'Blocks the backup', warning: 'Leaves parts out', info: 'Worth knowing' } as const;

const INTENT_STATES: Record<IntentState, string> = {
  enabled: 'enabled',
  limited: 'limited (on while the bot is in fewer than 100 servers)',
  disabled: 'disabled',
  unknown: 'unknown (Discord did not tell the application’s settings)',
};
