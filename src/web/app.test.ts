import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VENDORS, type EquityBarRow, type LedgerRow } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { Lake } from '../lake/index.js';
import { writeLedger } from '../ssot/index.js';
import { openStateStore, type StateStore } from '../state/index.js';
import { createDashboard } from './index.js';

const NOW = Date.UTC(2026, 10, 20, 21, 0, 0);
const SECRET = 'sk-live-dashboard-test-0123456789';
const OTHER_SECRET = 'PKTESTKEY000111222';
let dir: string;
let lake: Lake;
let state: StateStore;
let app: ReturnType<typeof createDashboard>;

function ledgerRow(date: string, status: LedgerRow['status'], rows: number, vendors: string, reason: string): LedgerRow {
  return { dataset: 'equities_eod', date, status, rows, expected_rows: 10, ratio: rows / 10, vendor_rows: vendors, reason, audited_at: '2026-11-20T21:00:00.000Z' };
}

function bar(symbol: string, date: string, vendor: 'alpaca' | 'polygon'): EquityBarRow {
  return { symbol, date, open: 1, high: 1, low: 1, close: 1, volume: 1, vwap: null, trades: null, feed: null, adjusted: false, source_name: vendor, source_uri: `https://x/${vendor}`, ingested_at: '2026-11-20T21:00:00.000Z' };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trademl-web-'));
  const clock = new VirtualClock({ start: NOW });
  lake = await Lake.open({ root: dir, clock });
  state = await openStateStore(':memory:');
  await writeLedger(lake, [
    ledgerRow('2026-11-16', 'GREEN', 10, '{"alpaca":10,"polygon":9}', 'complete'),
    ledgerRow('2026-11-17', 'AMBER', 8, '{"alpaca":8}', 'partial: missing AAA'),
    ledgerRow('2026-11-18', 'RED', 0, '{}', `no rows; url had apiKey=${SECRET}`),
  ]);
  await lake.writeRawPartition('equities_eod', 'alpaca', '2026-11-16', [bar('AAA', '2026-11-16', 'alpaca')]);
  await lake.writeRawPartition('equities_eod', 'alpaca', '2026-11-17', [bar('AAA', '2026-11-17', 'alpaca')]);
  await lake.writeRawPartition('equities_eod', 'polygon', '2026-11-16', [bar('AAA', '2026-11-16', 'polygon')]);
  await state.recordRequest('alpaca', '2026-11-20', NOW - 90_000);
  await state.recordRequest('alpaca', '2026-11-20', NOW - 30_000);
  await state.recordRequest('polygon', '2026-11-19', NOW - 86_400_000);
  await state.setVendorHealth({ vendor: 'polygon', frozenUntilMs: NOW + 60_000, reason: '429 rate limited', consecutiveErrors: 3, updatedAtMs: NOW });
  await state.enqueue(
    [
      { identity: 'a', vendor: 'alpaca', dataset: 'equities_eod', endpoint: 'alpaca.bars', params: {}, priority: 5, origin: 'forward', cost: 1 },
      { identity: 'b', vendor: 'polygon', dataset: 'equities_eod', endpoint: 'polygon.aggs.grouped_daily', params: {}, priority: 1, origin: 'backfill', cost: 1 },
      { identity: 'c', vendor: 'polygon', dataset: 'equities_eod', endpoint: 'polygon.aggs.grouped_daily', params: {}, priority: 1, origin: 'backfill', cost: 1 },
    ],
    NOW - 600_000,
  );
  await state.appendLog({ atMs: NOW - 5000, level: 'info', event: 'unit_done', vendor: 'alpaca', detail: { rows: 10 } });
  await state.appendLog({ atMs: NOW - 4000, level: 'error', event: 'unit_failed', vendor: 'polygon', detail: { error: `403 for https://api/x?apiKey=${SECRET}`, key: OTHER_SECRET } });
  await state.appendLog({ atMs: NOW - 3000, level: 'warn', event: 'deferred', vendor: 'polygon', detail: { reason: 'frozen' } });
  app = createDashboard({
    lake,
    state,
    clock,
    secrets: [SECRET, OTHER_SECRET],
    config: { limits: { alpaca: { rpm: 200, dailyBudget: 288_000 }, polygon: { rpm: 5, dailyBudget: 7200 } } },
  });
});

afterEach(async () => {
  await state.close();
  await lake.close();
  await rm(dir, { recursive: true, force: true });
});

async function getJson<T>(path: string): Promise<T> {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('dashboard JSON API', () => {
  it('/api/coverage serves the ledger rows with parsed vendor counts, filtered by since', async () => {
    const all = await getJson<{ cells: { date: string; status: string; rows: number; expected: number; vendors: Record<string, number> }[]; summary: { green: number; sessions: number } }>('/api/coverage');
    expect(all.cells.map((c) => [c.date, c.status, c.rows, c.expected])).toEqual([
      ['2026-11-16', 'GREEN', 10, 10],
      ['2026-11-17', 'AMBER', 8, 10],
      ['2026-11-18', 'RED', 0, 10],
    ]);
    expect(all.cells[0]?.vendors).toEqual({ alpaca: 10, polygon: 9 });
    expect(all.summary).toMatchObject({ green: 1, sessions: 3 });
    const since = await getJson<{ cells: { date: string }[] }>('/api/coverage?dataset=equities_eod&since=2026-11-17');
    expect(since.cells.map((c) => c.date)).toEqual(['2026-11-17', '2026-11-18']);
    expect((await app.request('/api/coverage?since=yesterday')).status).toBe(400);
  });

  it('/api/vendors reports spend today, the last minute against rpm, and freezes', async () => {
    const body = await getJson<{ vendors: { vendor: string; spentToday: number; dailyBudget: number | null; rpm: number | null; lastMinuteRequests: number; frozenUntil: string | null; frozenReason: string | null; consecutiveErrors: number }[] }>('/api/vendors');
    expect(body.vendors.map((v) => v.vendor)).toEqual([...VENDORS]);
    const alpaca = body.vendors.find((v) => v.vendor === 'alpaca');
    const polygon = body.vendors.find((v) => v.vendor === 'polygon');
    expect(alpaca).toMatchObject({ spentToday: 2, dailyBudget: 288_000, rpm: 200, lastMinuteRequests: 1, frozenUntil: null });
    expect(polygon).toMatchObject({ spentToday: 0, rpm: 5, frozenUntil: '2026-11-20T21:01:00.000Z', frozenReason: '429 rate limited', consecutiveErrors: 3 });
  });

  it('/api/queue reports depth by priority and the oldest waiting unit', async () => {
    const body = await getJson<{ byPriority: { priority: number; queued: number }[]; oldestQueuedAgeMs: number; byStatus: { queued: number } }>('/api/queue');
    expect(body.byPriority).toEqual([{ priority: 5, queued: 1 }, { priority: 1, queued: 2 }]);
    expect(body.byStatus.queued).toBe(3);
    expect(body.oldestQueuedAgeMs).toBe(600_000);
  });

  it('/api/log filters by minimum level, newest first, redacted', async () => {
    const warn = await getJson<{ entries: { level: string; event: string; detail: Record<string, string> }[] }>('/api/log?level=warn');
    expect(warn.entries.map((e) => [e.level, e.event])).toEqual([['warn', 'deferred'], ['error', 'unit_failed']]);
    expect(warn.entries[1]?.detail.error).toBe('403 for https://api/x?apiKey=***');
    expect(warn.entries[1]?.detail.key).toBe('***');
    const all = await getJson<{ entries: unknown[] }>('/api/log');
    expect(all.entries).toHaveLength(3);
    expect((await app.request('/api/log?level=loud')).status).toBe(400);
  });

  it('/api/freshness lists the newest raw partition per dataset and vendor', async () => {
    const body = await getJson<{ partitions: unknown[] }>('/api/freshness');
    expect(body.partitions).toEqual([
      { dataset: 'equities_eod', vendor: 'alpaca', latestDate: '2026-11-17', partitions: 2 },
      { dataset: 'equities_eod', vendor: 'polygon', latestDate: '2026-11-16', partitions: 1 },
    ]);
  });

  it('/api/status is the snapshot `trademl status --json` prints', async () => {
    const body = await getJson<{ at: string; day: string; coverage: { equities_eod: { green: number; latestRawSession: Record<string, string> } }; recentProblems: { event: string }[] }>('/api/status');
    expect(body.at).toBe('2026-11-20T21:00:00.000Z');
    expect(body.day).toBe('2026-11-20');
    expect(body.coverage.equities_eod).toMatchObject({ green: 1, amber: 1, red: 1, latestRawSession: { alpaca: '2026-11-17', polygon: '2026-11-16' } });
    expect(body.recentProblems.map((p) => p.event)).toEqual(['deferred', 'unit_failed']);
  });

  it('is read-only: writes are not routes, unknown paths are 404 JSON', async () => {
    expect((await app.request('/api/queue', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/api/queue', { method: 'DELETE' })).status).toBe(404);
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'NotFound' });
  });
});

describe('dashboard page', () => {
  it('renders one heatmap cell per ledger row and one vendor row per vendor', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const cells = [...html.matchAll(/<rect class="cell"[^>]*data-date="([^"]+)" data-status="([^"]+)" data-rows="(\d+)" data-expected="(\d+)"/g)].map((m) => m.slice(1));
    expect(cells).toEqual([
      ['2026-11-16', 'GREEN', '10', '10'],
      ['2026-11-17', 'AMBER', '8', '10'],
      ['2026-11-18', 'RED', '0', '10'],
    ]);
    expect(html).toContain('data-vendors="alpaca:10 polygon:9"');
    expect(html).toContain('<title>2026-11-17 AMBER: 8/10 rows (alpaca:8) — partial: missing AAA</title>');
    expect([...html.matchAll(/<tr data-vendor="([a-z]+)" data-spent="(\d+)"/g)].map((m) => [m[1], m[2]])).toEqual(VENDORS.map((v) => [v, v === 'alpaca' ? '2' : '0']));
    expect(html).toContain('until 2026-11-20T21:01:00.000Z');
    expect(html).not.toMatch(/<(script|link|img)[^>]+src=/);
  });
});

describe('secrets', () => {
  it('no page or API response contains a configured key, even when the run log and ledger hold one', async () => {
    const paths = ['/', '/?since=2026-11-17', '/api/status', '/api/coverage', '/api/vendors', '/api/queue', '/api/log', '/api/log?level=error', '/api/freshness', '/nope'];
    for (const path of paths) {
      const text = await (await app.request(path)).text();
      expect(text.length, path).toBeGreaterThan(0);
      for (const secret of [SECRET, OTHER_SECRET]) expect(text.split(secret).length - 1, `${path} leaks a key`).toBe(0);
    }
  });
});
