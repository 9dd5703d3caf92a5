import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VENDORS, type EquityBarRow, type LedgerRow } from '../catalog/index.js';
import { VirtualClock } from '../clock/index.js';
import { Lake } from '../lake/index.js';
import { writeLedger } from '../ssot/index.js';
import { openStateStore, type StateStore } from '../state/index.js';
import { createDashboard, STATUS_COLOR } from './index.js';

const NOW = Date.UTC(2026, 10, 20, 21, 0, 0);
const SECRET = 'sk-live-dashboard-test-0123456789';
const OTHER_SECRET = 'PKTESTKEY000111222';
let dir: string;
let lake: Lake;
let state: StateStore;
let app: ReturnType<typeof createDashboard>;

function ledgerRow(date: string, status: LedgerRow['status'], rows: number, vendors: string, reason: string, dataset = 'equities_eod'): LedgerRow {
  return { dataset, date, status, rows, expected_rows: 10, ratio: rows / 10, vendor_rows: vendors, reason, audited_at: '2026-11-20T21:00:00.000Z' };
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
    // Other datasets share the ledger file: the page draws one band each.
    ledgerRow('2026-11-17', 'UNAVAILABLE', 0, '{}', 'finnhub.option_chain: EntitlementDenied', 'options_chain'),
    ledgerRow('2026-11-18', 'GREEN', 10, '{"finnhub":10}', 'complete', 'options_chain'),
    ledgerRow('2026-11-09', 'GREEN', 390, '{"alpaca":390}', 'complete', 'equities_minute'),
    ledgerRow('2026-11-16', 'AMBER', 300, '{"alpaca":300}', 'partial', 'equities_minute'),
    ledgerRow('2026-11-17', 'RED', 0, '{}', 'no rows', 'equities_minute'),
  ]);
  await state.setCapabilityStatus({ vendor: 'finnhub', endpoint: 'finnhub.candle.daily', status: 'denied', reason: 'premium endpoint', untilMs: null, updatedAtMs: NOW });
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
    const body = await getJson<{ vendors: { vendor: string; spentToday: number; dailyBudget: number | null; rpm: number | null; lastMinuteRequests: number; frozenUntil: string | null; frozenReason: string | null; consecutiveErrors: number; denied: unknown[] }[] }>('/api/vendors');
    expect(body.vendors.map((v) => v.vendor)).toEqual([...VENDORS]);
    const alpaca = body.vendors.find((v) => v.vendor === 'alpaca');
    const polygon = body.vendors.find((v) => v.vendor === 'polygon');
    expect(alpaca).toMatchObject({ spentToday: 2, dailyBudget: 288_000, rpm: 200, lastMinuteRequests: 1, frozenUntil: null });
    expect(polygon).toMatchObject({ spentToday: 0, rpm: 5, frozenUntil: '2026-11-20T21:01:00.000Z', frozenReason: '429 rate limited', consecutiveErrors: 3, denied: [] });
    expect(body.vendors.find((v) => v.vendor === 'finnhub')).toMatchObject({ denied: [{ endpoint: 'finnhub.candle.daily', reason: 'premium endpoint', until: null }] });
  });

  it('/api/queue reports depth by priority and the oldest waiting unit', async () => {
    const body = await getJson<{ byPriority: { priority: number; queued: number }[]; oldestQueuedAgeMs: number; byStatus: { queued: number } }>('/api/queue');
    expect(body.byPriority).toEqual([{ priority: 5, queued: 1 }, { priority: 1, queued: 2 }]);
    const status = await getJson<{ queue: { oldest: Record<string, unknown> } }>('/api/status');
    expect(status.queue.oldest).toEqual({ identity: 'a', vendor: 'alpaca', dataset: 'equities_eod', endpoint: 'alpaca.bars', priority: 5, origin: 'forward', attempts: 0, waitingMs: 600_000, notBefore: null, deferReason: null, lastError: null });
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

  it('/api/datasets grades every dataset of the ledger: counts, latest GREEN session, sessions behind', async () => {
    const body = await getJson<{ datasets: Record<string, unknown>[] }>('/api/datasets');
    expect(body.datasets).toEqual([
      { dataset: 'equities_eod', sessions: 3, green: 1, amber: 1, red: 1, unavailable: 0, greenRatio: 1 / 3, firstSession: '2026-11-16', lastSession: '2026-11-18', latestGreen: '2026-11-16', sessionsBehind: 2 },
      { dataset: 'equities_minute', sessions: 3, green: 1, amber: 1, red: 1, unavailable: 0, greenRatio: 1 / 3, firstSession: '2026-11-09', lastSession: '2026-11-17', latestGreen: '2026-11-09', sessionsBehind: 2 },
      { dataset: 'options_chain', sessions: 2, green: 1, amber: 0, red: 0, unavailable: 1, greenRatio: 0.5, firstSession: '2026-11-17', lastSession: '2026-11-18', latestGreen: '2026-11-18', sessionsBehind: 0 },
    ]);
    const since = await getJson<{ datasets: { dataset: string; sessions: number }[] }>('/api/datasets?since=2026-11-18');
    expect(since.datasets.map((d) => [d.dataset, d.sessions])).toEqual([['equities_eod', 1], ['options_chain', 1]]);
  });

  it('/api/status is the snapshot `trademl status --json` prints', async () => {
    const body = await getJson<{ at: string; day: string; coverage: { equities_eod: { green: number; latestRawSession: Record<string, string> } }; recentProblems: { event: string }[] }>('/api/status');
    expect(body.at).toBe('2026-11-20T21:00:00.000Z');
    expect(body.day).toBe('2026-11-20');
    expect(body.coverage.equities_eod).toMatchObject({ green: 1, amber: 1, red: 1, latestRawSession: { alpaca: '2026-11-17', polygon: '2026-11-16' } });
    expect(body.recentProblems.map((p) => p.event)).toEqual(['deferred', 'unit_failed']);
  });

  it('gzips what it sends when the client accepts it (the page is mostly repetitive SVG)', async () => {
    const plain = await (await app.request('/')).text();
    const res = await app.request('/', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const zipped = Buffer.from(await res.arrayBuffer());
    expect(zipped.length).toBeLessThan(plain.length / 3);
    expect(gunzipSync(zipped).toString()).toBe(plain);
  });

  it('is read-only: writes are not routes, unknown paths are 404 JSON', async () => {
    expect((await app.request('/api/queue', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/api/queue', { method: 'DELETE' })).status).toBe(404);
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'NotFound' });
  });
});

/** The cells of one dataset's band on the page: [x, date, status, rows, expected]. */
function bandCells(html: string, dataset: string): string[][] {
  const band = html.split(`<div class="band" data-dataset="${dataset}">`)[1]?.split('</svg>')[0] ?? '';
  return [...band.matchAll(/<rect class="cell" x="(\d+)"[^>]*data-date="([^"]+)" data-status="([^"]+)" data-rows="(\d+)" data-expected="(\d+)"/g)].map((m) => m.slice(1));
}

describe('dashboard page', () => {
  it('draws one band per dataset of the ledger, in catalog order, on shared week columns', async () => {
    const html = await (await app.request('/')).text();
    expect([...html.matchAll(/<div class="band" data-dataset="([a-z_]+)">/g)].map((m) => m[1])).toEqual(['equities_eod', 'equities_minute', 'options_chain']);
    const eod = bandCells(html, 'equities_eod');
    const minute = bandCells(html, 'equities_minute');
    const options = bandCells(html, 'options_chain');
    expect(minute.map((c) => c.slice(1))).toEqual([
      ['2026-11-09', 'GREEN', '390', '10'],
      ['2026-11-16', 'AMBER', '300', '10'],
      ['2026-11-17', 'RED', '0', '10'],
    ]);
    expect(options.map((c) => c[2])).toEqual(['UNAVAILABLE', 'GREEN']);
    // The same session sits in the same column in every band (the earliest week, 2026-11-09, is column 0).
    const x = (cells: string[][], date: string) => cells.find((c) => c[1] === date)?.[0];
    expect(x(eod, '2026-11-17')).toBe(x(minute, '2026-11-17'));
    expect(x(options, '2026-11-17')).toBe(x(minute, '2026-11-17'));
    expect(Number(x(minute, '2026-11-16'))).toBeGreaterThan(Number(x(minute, '2026-11-09')));
    expect(html).toContain('<title>2026-11-17 UNAVAILABLE: 0/10 rows — finnhub.option_chain: EntitlementDenied</title>');
    expect(html).toContain(`fill="${STATUS_COLOR.UNAVAILABLE}"`);
    const one = await (await app.request('/?dataset=options_chain')).text();
    expect([...one.matchAll(/<div class="band" data-dataset="([a-z_]+)">/g)].map((m) => m[1])).toEqual(['options_chain']);
  });

  it('lists each dataset\'s freshness and the oldest waiting unit', async () => {
    const html = await (await app.request('/')).text();
    const rows = [...html.matchAll(/<tr data-dataset="([a-z_]+)" data-latest-green="([^"]*)" data-behind="(\d+)"/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['equities_eod', '2026-11-16', '2'],
      ['equities_minute', '2026-11-09', '2'],
      ['options_chain', '2026-11-18', '0'],
    ]);
    expect(html).toMatch(/oldest waiting 10 min: <span id="oldest-unit">alpaca a<\/span>/);
    expect(html).toContain('finnhub.candle.daily');
  });

  it('renders one heatmap cell per ledger row and one vendor row per vendor', async () => {
    const res = await app.request('/?dataset=equities_eod');
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
    const paths = ['/', '/?since=2026-11-17', '/api/status', '/api/datasets', '/api/coverage', '/api/vendors', '/api/queue', '/api/log', '/api/log?level=error', '/api/freshness', '/nope'];
    for (const path of paths) {
      const text = await (await app.request(path)).text();
      expect(text.length, path).toBeGreaterThan(0);
      for (const secret of [SECRET, OTHER_SECRET]) expect(text.split(secret).length - 1, `${path} leaks a key`).toBe(0);
    }
  });
});
