import type { Command } from 'commander';
import { CALENDAR_END, CALENDAR_START, nyTime, sessionsBetween, type Session } from '../../calendar/index.js';
import { UsageError } from '../../errors/index.js';
import { emitJsonLine, parseDateOption, type CliIO } from '../context.js';
import { action } from '../main.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Dates are New York session dates from ${CALENDAR_START} to ${CALENDAR_END}; --start and --end are inclusive.
With --json: one {"date","open","close","early_close"} object a line, open and close as UTC instants.

Examples:
  $ trademl calendar --start 2024-07-01 --end 2024-07-05
  $ trademl calendar --start 2024-11-25 --end 2024-12-31 --json
`;

export const register: RegisterCommand = (program: Command, io: CliIO) => {
  program
    .command('calendar')
    .description('NYSE trading sessions between two dates: open and close instants, early closes')
    .option('--start <date>', 'first date, YYYY-MM-DD (required)')
    .option('--end <date>', 'last date, YYYY-MM-DD, inclusive (required)')
    .addHelpText('after', EXAMPLES)
    .action(
      action(io, async ({ global, io: out, options }) => {
        const start = requiredDate(options.start, '--start');
        const end = requiredDate(options.end, '--end');
        if (start > end) throw new UsageError(`--start ${start} is after --end ${end}`);
        const sessions = sessionsBetween(start, end);
        if (global.json) for (const s of sessions) emitJsonLine(out, { date: s.date, open: s.open, close: s.close, early_close: s.earlyClose });
        else out.stdout(renderTable(sessions, start, end));
      }),
    );
};

function requiredDate(value: unknown, option: string): string {
  if (value !== undefined && typeof value !== 'string') throw new UsageError(`${option}: expected a date YYYY-MM-DD`);
  const date = parseDateOption(value, option);
  if (date === undefined) throw new UsageError(`${option} is required (a date YYYY-MM-DD)`);
  if (date < CALENDAR_START || date > CALENDAR_END) {
    throw new UsageError(`${option}: ${date} is outside the NYSE calendar range ${CALENDAR_START}..${CALENDAR_END}`);
  }
  return date;
}

/** A fixed-width table in New York wall-clock time, then a count line. */
function renderTable(sessions: readonly Session[], start: string, end: string): string {
  const rows = [['date', 'open (NY)', 'close (NY)', ''], ...sessions.map((s) => [s.date, nyTime(s.openMs), nyTime(s.closeMs), s.earlyClose ? 'early close' : ''])];
  const widths = [10, 9, 10];
  const lines = rows.map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const early = sessions.filter((s) => s.earlyClose).length;
  const noun = sessions.length === 1 ? 'session' : 'sessions';
  lines.push(`${sessions.length} ${noun} from ${start} to ${end}${early > 0 ? ` (${early} early close${early === 1 ? '' : 's'})` : ''}`);
  return `${lines.join('\n')}\n`;
}
