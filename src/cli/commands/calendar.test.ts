import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../context.js';
import { register } from './calendar.js';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The root program as src/cli/main.ts builds it, with only the calendar command registered. */
async function run(...args: string[]): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, isTTY: false };
  const program = new Command('trademl')
    .option('--json', 'machine output')
    .option('--config-dir <dir>', 'configs', 'configs')
    .option('--data-dir <dir>', 'data dir')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  register(program, io);
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'trademl', 'calendar', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode, stdout, stderr };
    throw error;
  }
}

afterEach(() => {
  process.exitCode = 0;
});

describe('trademl calendar', () => {
  it('prints one JSON object per session with UTC instants', async () => {
    const result = await run('--start', '2024-07-02', '--end', '2024-07-08', '--json');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { date: '2024-07-02', open: '2024-07-02T13:30:00.000Z', close: '2024-07-02T20:00:00.000Z', early_close: false },
      { date: '2024-07-03', open: '2024-07-03T13:30:00.000Z', close: '2024-07-03T17:00:00.000Z', early_close: true },
      { date: '2024-07-05', open: '2024-07-05T13:30:00.000Z', close: '2024-07-05T20:00:00.000Z', early_close: false },
      { date: '2024-07-08', open: '2024-07-08T13:30:00.000Z', close: '2024-07-08T20:00:00.000Z', early_close: false },
    ]);
  });

  it('accepts --json before the command too', async () => {
    let stdout = '';
    const io: CliIO = { stdout: (t) => void (stdout += t), stderr: () => undefined, env: {}, isTTY: false };
    const program = new Command('trademl').option('--json').option('--config-dir <dir>').option('--data-dir <dir>').exitOverride();
    register(program, io);
    await program.parseAsync(['node', 'trademl', '--json', 'calendar', '--start', '2024-11-29', '--end', '2024-11-29']);
    expect(JSON.parse(stdout)).toEqual({ date: '2024-11-29', open: '2024-11-29T14:30:00.000Z', close: '2024-11-29T18:00:00.000Z', early_close: true });
  });

  it('prints an aligned table in New York time with early closes marked and a count', async () => {
    const result = await run('--start', '2024-12-23', '--end', '2024-12-27');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'date        open (NY)  close (NY)',
        '2024-12-23  09:30      16:00',
        '2024-12-24  09:30      13:00       early close',
        '2024-12-26  09:30      16:00',
        '2024-12-27  09:30      16:00',
        '4 sessions from 2024-12-23 to 2024-12-27 (1 early close)',
        '',
      ].join('\n'),
    );
  });

  it('prints a zero count for a range without sessions, and nothing with --json', async () => {
    expect((await run('--start', '2024-07-06', '--end', '2024-07-07')).stdout).toBe('date        open (NY)  close (NY)\n0 sessions from 2024-07-06 to 2024-07-07\n');
    const json = await run('--start', '2024-07-06', '--end', '2024-07-07', '--json');
    expect([json.code, json.stdout]).toEqual([0, '']);
  });

  it('refuses start after end with a usage error (exit 2)', async () => {
    const result = await run('--start', '2024-07-08', '--end', '2024-07-01');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('trademl: UsageError: --start 2024-07-08 is after --end 2024-07-01\n');
  });

  it('reports errors as JSON on stderr with --json', async () => {
    const result = await run('--start', '2024-02-30', '--end', '2024-03-01', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({ error: 'UsageError', vendor: null, status: null, message: '--start: expected a date YYYY-MM-DD, got "2024-02-30"' });
  });

  it('requires both dates and stays inside the calendar range', async () => {
    const missing = await run('--start', '2024-07-01');
    expect([missing.code, missing.stderr]).toEqual([2, 'trademl: UsageError: --end is required (a date YYYY-MM-DD)\n']);
    const early = await run('--start', '1999-12-31', '--end', '2000-01-05');
    expect([early.code, early.stderr]).toEqual([2, 'trademl: UsageError: --start: 1999-12-31 is outside the NYSE calendar range 2000-01-01..2100-12-31\n']);
  });

  it('has help with an example', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--start <date>');
    expect(result.stdout).toContain('$ trademl calendar --start 2024-07-01 --end 2024-07-05');
  });
});
