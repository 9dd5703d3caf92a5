import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../catalog/index.js';
import { VirtualClock } from '../../clock/index.js';
import { Lake } from '../../lake/index.js';
import { writeLedger } from '../../ssot/index.js';
import type { CliIO } from '../context.js';
import { main } from '../main.js';

let dir: string;

function row(date: string, status: LedgerRow['status'], rows: number, reason: string): LedgerRow {
  return { dataset: 'equities_eod', date, status, rows, expected_rows: 4, ratio: rows / 4, vendor_rows: `{"alpaca":${rows}}`, reason, audited_at: '2026-11-20T21:00:00.000Z' };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trademl-coverage-'));
  const lake = await Lake.open({ root: dir, clock: new VirtualClock({ start: Date.UTC(2026, 10, 20) }) });
  try {
    await writeLedger(lake, [row('2026-11-16', 'GREEN', 4, 'complete'), row('2026-11-17', 'AMBER', 3, 'missing <DDD>'), row('2026-11-18', 'RED', 0, 'no rows')]);
  } finally {
    await lake.close();
  }
});

afterEach(async () => {
  process.exitCode = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, isTTY: false };
  const code = await main(['node', 'trademl', ...args, '--data-dir', dir], io);
  return { code, stdout, stderr };
}

describe('trademl coverage --svg --html', () => {
  it('writes the SVG heatmap and a standalone page with one cell per ledger row from --since on', async () => {
    const svgFile = join(dir, 'coverage.svg');
    const htmlFile = join(dir, 'coverage.html');
    const result = await run(['coverage', '--since', '2026-11-17', '--svg', svgFile, '--html', htmlFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`wrote ${svgFile}`);
    const svg = await readFile(svgFile, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const statuses = (text: string) => [...text.matchAll(/data-date="([^"]+)" data-status="([^"]+)" data-rows="(\d+)"/g)].map((m) => m.slice(1));
    expect(statuses(svg)).toEqual([
      ['2026-11-17', 'AMBER', '3'],
      ['2026-11-18', 'RED', '0'],
    ]);
    expect(svg).toContain('data-reason="missing &lt;DDD&gt;"');
    const html = await readFile(htmlFile, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(statuses(html)).toEqual(statuses(svg));
    expect(html).toContain('0/2 sessions GREEN · 1 AMBER · 1 RED');
  });

  it('keeps --json a pure row stream when writing files', async () => {
    const svgFile = join(dir, 'c.svg');
    const result = await run(['coverage', '--json', '--svg', svgFile]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { date: string });
    expect(lines.map((l) => l.date)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18']);
    expect((await readFile(svgFile, 'utf8')).match(/<rect class="cell"/g)).toHaveLength(3);
  });
});
