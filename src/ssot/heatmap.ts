import type { LedgerRow, PartitionStatus } from '../catalog/index.js';

const GLYPH: Record<PartitionStatus, string> = { GREEN: '█', AMBER: '▒', RED: '░', UNAVAILABLE: '×', NO_SESSION: '·' };
const COLOR: Record<PartitionStatus, string> = { GREEN: '\x1b[32m', AMBER: '\x1b[33m', RED: '\x1b[31m', UNAVAILABLE: '\x1b[35m', NO_SESSION: '\x1b[2m' };
const RESET = '\x1b[0m';

/**
 * A calendar heatmap for the terminal: one line per month, one cell per day of the month, so two
 * years fit in 24 short lines and a gap shows on the exact session it is in.
 */
export function renderHeatmap(rows: readonly LedgerRow[], options: { title: string; color: boolean }): string {
  if (rows.length === 0) return `${options.title}: no ledger rows (run an audit first)\n`;
  const byDate = new Map(rows.map((r) => [r.date, r.status] as const));
  const months = [...new Set(rows.map((r) => r.date.slice(0, 7)))].sort();
  const paint = (status: PartitionStatus, text: string): string => (options.color ? `${COLOR[status]}${text}${RESET}` : text);
  const lines = [`${options.title}`, `         ${Array.from({ length: 31 }, (_, i) => ((i + 1) % 5 === 0 ? String((i + 1) % 100).padStart(2).slice(-1) : ' ')).join('')}`];
  for (const month of months) {
    const [year, mm] = month.split('-').map(Number) as [number, number];
    const days = new Date(Date.UTC(year, mm, 0)).getUTCDate();
    let cells = '';
    for (let day = 1; day <= days; day += 1) {
      const date = `${month}-${String(day).padStart(2, '0')}`;
      const status = byDate.get(date);
      cells += status === undefined ? ' ' : paint(status, GLYPH[status]);
    }
    lines.push(`${month}  ${cells}`);
  }
  const tally = (status: PartitionStatus): number => rows.filter((r) => r.status === status).length;
  lines.push(
    `legend: ${paint('GREEN', GLYPH.GREEN)} GREEN ${tally('GREEN')}  ${paint('AMBER', GLYPH.AMBER)} AMBER ${tally('AMBER')}  ` +
      `${paint('RED', GLYPH.RED)} RED ${tally('RED')}  ${paint('UNAVAILABLE', GLYPH.UNAVAILABLE)} UNAVAILABLE ${tally('UNAVAILABLE')}  (blank: no session)`,
  );
  return `${lines.join('\n')}\n`;
}
