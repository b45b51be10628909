/**
 * The "Show Health" document: what the bot can and cannot read in a server,
 * and what each gap costs the backup. Takes a structural subset of the
 * engine's HealthReport (src/core/snapshots/health.ts).
 */
export interface HealthDisplayReport {
  guildId: string;
  guildName: string;
  botId: string;
  botName: string;
  isOwner: boolean;
  permissions: string[];
  intents: { messageContent: string; guildMembers: string };
  problems: { severity: 'error' | 'warning' | 'info'; what: string; cost: string; fix: string }[];
}

const HEADINGS = { error: 'Blocks the backup', warning: 'Leaves parts out', info: 'Worth knowing' } as const;

export function renderHealthDocument(report: HealthDisplayReport, checkedAt: string): string {
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
  lines.push(`  Message Content: ${report.intents.messageContent}`);
  lines.push(`  Server Members:  ${report.intents.guildMembers}`);
  lines.push('');
  lines.push(`Server-wide permissions (${report.permissions.length})`);
  for (const permission of [...report.permissions].sort()) lines.push(`  ${permission}`);
  return `${lines.join('\n')}\n`;
}
