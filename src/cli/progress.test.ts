import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock/index.js';
import type { PipelineEvent } from '../scheduler/index.js';
import type { QueueUnit } from '../state/index.js';
import type { CliIO } from './context.js';
import { createLogger } from './log.js';
import { createProgress } from './progress.js';

const START = Date.UTC(2026, 10, 20, 12, 0, 0);
const POLYGON_KEY = 'pk-test-polygon-0123456789abcdef';
const ALPACA_ID = 'PKTESTLOG0000000001';
const ALPACA_SECRET = 'alpaca-test-secret-log-0000000000000';

/** A clock and a wall clock the test moves by hand. */
function harness(env: Record<string, string> = {}) {
  let now = START;
  let wall = 1_000_000;
  const clock: Clock = { now: () => now, sleep: async () => undefined, busy: (work) => work };
  let stderr = '';
  let stdout = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, isTTY: false };
  return {
    io,
    clock,
    advance: (virtualMs: number, wallMs: number) => {
      now += virtualMs;
      wall += wallMs;
    },
    wallNow: () => wall,
    stderr: () => stderr,
    stdout: () => stdout,
    lines: () =>
      stderr
        .trim()
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function unit(identity: string, vendor: 'alpaca' | 'polygon' = 'alpaca'): QueueUnit {
  return {
    id: 1,
    identity,
    vendor,
    dataset: 'equities_eod',
    endpoint: vendor === 'alpaca' ? 'alpaca.bars' : 'polygon.aggs.grouped_daily',
    params: {},
    priority: 1,
    origin: 'forward',
    cost: 1,
    status: 'leased',
    attempts: 1,
    notBeforeMs: START,
    leaseOwner: 'test',
    leaseExpiresAtMs: null,
    lastError: null,
    deferReason: null,
    createdAtMs: START,
    updatedAtMs: START,
  };
}

const done = (identity: string, rows: number): PipelineEvent => ({ kind: 'done', vendor: 'alpaca', unit: unit(identity), result: { rows, partitionsWritten: 1, partitionsDeduped: 0 } });

describe('progress as structured logs (not a terminal)', () => {
  it('logs phases with counts, queued units, waits once per burst, failures, stops and throttled progress; stdout untouched', () => {
    const h = harness();
    const progress = createProgress(h.io, h.clock, { tty: false, wallNow: h.wallNow, logIntervalMs: 10_000 });
    progress.onEvent({ kind: 'phase', phase: 'ingest', detail: '60 symbols' });
    progress.onEvent({ kind: 'enqueued', phase: 'equities_eod', units: 4, byVendor: { alpaca: 4 } });
    progress.onEvent({ kind: 'deferred', vendor: 'polygon', unit: unit('p1', 'polygon'), untilMs: START + 12_000, reason: 'rpm limit' });
    progress.onEvent({ kind: 'deferred', vendor: 'polygon', unit: unit('p2', 'polygon'), untilMs: START + 12_000, reason: 'rpm limit' });
    for (let i = 0; i < 4; i += 1) {
      h.advance(60_000, 4_000); // 1 unit a virtual minute, 4 s of wall time each
      progress.onEvent(done(`a${i}`, 100));
    }
    progress.onEvent({ kind: 'failed', vendor: 'polygon', unit: unit('p1', 'polygon'), error: 'Transient: 503', permanent: false });
    progress.onEvent({ kind: 'stopped', vendor: 'alpaca', reason: 'queue empty' });
    progress.onEvent({ kind: 'phase', phase: 'audit', detail: 'equities_eod' });
    progress.finish({ greenRatio: 1 });

    expect(h.stdout()).toBe('');
    const lines = h.lines();
    const events = lines.map((l) => l.event);
    expect(events).toEqual(['phase.start', 'units.enqueued', 'vendor.wait', 'progress', 'unit.failed', 'executor.stopped', 'phase.end', 'phase.start', 'phase.end', 'finished']);
    for (const line of lines) {
      expect(line.name).toBe('trademl');
      expect(typeof line.time).toBe('string');
      expect(typeof line.virtualTime).toBe('string');
    }
    const wait = lines.find((l) => l.event === 'vendor.wait');
    expect(wait).toMatchObject({ level: 'info', vendor: 'polygon', reason: 'rpm limit', until: '2026-11-20T12:00:12.000Z' });
    // Wall time passed 12 s by the third unit: one progress line, with rate and ETA in virtual time.
    const tick = lines.find((l) => l.event === 'progress') as { vendors: { vendor: string; done: number; total: number; ratePerMin: number; etaMinutes: number | null }[] };
    expect(tick.vendors.find((v) => v.vendor === 'alpaca')).toEqual(expect.objectContaining({ done: 3, total: 4, ratePerMin: 1, etaMinutes: 1 }));
    expect(lines.find((l) => l.event === 'unit.failed')).toMatchObject({ level: 'warn', vendor: 'polygon', unit: 'p1', permanent: false, error: 'Transient: 503' });
    const stopped = lines.find((l) => l.event === 'executor.stopped') as { msg: string };
    expect(stopped.msg).toMatch(/alpaca: .*queue empty/); // what test/run.e2e.test.ts waits for
    expect(stopped).toMatchObject({ done: 4, total: 4, rows: 400 });
    const end = lines.find((l) => l.event === 'phase.end');
    expect(end).toMatchObject({ phase: 'ingest', unitsDone: 4, unitsFailed: 1, rows: 400, durationMs: 240_000 });
    expect(lines.at(-1)).toMatchObject({ event: 'finished', greenRatio: 1, done: 4, failed: 1, wallMs: 16_000, virtualElapsedMs: 240_000 });
  });

  it('filters by TRADEML_LOG_LEVEL: per-unit lines only at debug, nothing but warnings at warn', () => {
    const debug = harness({ TRADEML_LOG_LEVEL: 'debug' });
    const p1 = createProgress(debug.io, debug.clock, { tty: false, wallNow: debug.wallNow });
    p1.onEvent(done('a0', 5));
    expect(debug.lines().map((l) => [l.level, l.event])).toEqual([['debug', 'unit.done']]);

    const warn = harness({ TRADEML_LOG_LEVEL: 'warn' });
    const p2 = createProgress(warn.io, warn.clock, { tty: false, wallNow: warn.wallNow });
    p2.onEvent({ kind: 'phase', phase: 'reference', detail: '' });
    p2.onEvent(done('a0', 5));
    p2.onEvent({ kind: 'failed', vendor: 'alpaca', unit: unit('a1'), error: 'NotFound', permanent: true });
    p2.finish();
    expect(warn.lines().map((l) => [l.level, l.event])).toEqual([['error', 'unit.failed']]);
  });

  it('phase/tick: a phase of known size reports done/total, rate and ETA, and its end', () => {
    const h = harness();
    const progress = createProgress(h.io, h.clock, { tty: false, wallNow: h.wallNow, logIntervalMs: 5_000 });
    progress.phase('curate', 10, 'equities_ohlcv_adj');
    for (let i = 0; i < 10; i += 1) {
      h.advance(30_000, 1_000);
      progress.tick(1, 50);
    }
    progress.finish();
    const lines = h.lines();
    expect(lines[0]).toMatchObject({ event: 'phase.start', phase: 'curate', total: 10, detail: 'equities_ohlcv_adj' });
    const ticks = lines.filter((l) => l.event === 'progress');
    expect(ticks.map((t) => t.done)).toEqual([5, 10]);
    expect(ticks[0]).toMatchObject({ phase: 'curate', total: 10, ratePerMin: 2, etaMinutes: 2.5 });
    expect(lines.find((l) => l.event === 'phase.end')).toMatchObject({ phase: 'curate', total: 10, done: 10, rows: 500, durationMs: 300_000 });
  });

  it('never prints a key: from the environment, passed explicitly, in a URL, in a field named like a key', () => {
    const env = { POLYGON_API_KEY: POLYGON_KEY, ALPACA_API_KEY_ID: ALPACA_ID, ALPACA_API_SECRET_KEY: ALPACA_SECRET };
    const h = harness(env);
    const progress = createProgress(h.io, h.clock, { tty: false, wallNow: h.wallNow, secrets: ['explicit-demo-secret-99'] });
    progress.onEvent({ kind: 'failed', vendor: 'polygon', unit: unit(`p-${POLYGON_KEY}`, 'polygon'), error: `403 for https://api.polygon.io/v2/x?apiKey=${POLYGON_KEY}&date=2026-11-20`, permanent: true });
    progress.onEvent({ kind: 'failed', vendor: 'alpaca', unit: unit('a1'), error: `auth ${ALPACA_ID}:${ALPACA_SECRET} explicit-demo-secret-99 "${ALPACA_SECRET}"`, permanent: false });
    progress.onEvent({ kind: 'deferred', vendor: 'alpaca', unit: unit('a2'), untilMs: START, reason: `frozen: token=${ALPACA_SECRET}` });
    const logger = createLogger(h.io);
    logger.info({ apiKey: 'field-value-secret', headers: { 'APCA-API-SECRET-KEY': 'header-secret-value', authorization: 'Bearer bearer-secret' } }, 'request');
    const text = h.stderr();
    for (const secret of [POLYGON_KEY, ALPACA_ID, ALPACA_SECRET, 'explicit-demo-secret-99', 'field-value-secret', 'header-secret-value', 'bearer-secret']) {
      expect(text, secret).not.toContain(secret);
    }
    expect(text).toContain('apiKey=***&date=2026-11-20');
    expect(h.lines()).toHaveLength(4); // every line is still JSON
  });

  it('a frozen or rate-limited vendor is a warning; a spent budget is information', () => {
    const h = harness();
    const progress = createProgress(h.io, h.clock, { tty: false, wallNow: h.wallNow });
    progress.onEvent({ kind: 'deferred', vendor: 'polygon', unit: unit('p1', 'polygon'), untilMs: START + 120_000, reason: 'vendor frozen: circuit open after 5 consecutive network errors' });
    progress.onEvent({ kind: 'deferred', vendor: 'alpaca', unit: unit('a1'), untilMs: START + 60_000, reason: 'rate limited by vendor' });
    progress.onEvent({ kind: 'deferred', vendor: 'fmp', unit: unit('f1'), untilMs: START + 3_600_000, reason: 'daily budget spent' });
    expect(h.lines().map((l) => [l.level, l.event, l.vendor, l.until])).toEqual([
      ['warn', 'vendor.frozen', 'polygon', '2026-11-20T12:02:00.000Z'],
      ['warn', 'vendor.rate_limited', 'alpaca', '2026-11-20T12:01:00.000Z'],
      ['info', 'vendor.wait', 'fmp', '2026-11-20T13:00:00.000Z'],
    ]);
  });
});

describe('progress on a terminal', () => {
  it('draws bars with counts, rate and ETA on stderr, no JSON', () => {
    const h = harness();
    const progress = createProgress(h.io, h.clock, { tty: true, wallNow: h.wallNow });
    progress.onEvent({ kind: 'phase', phase: 'ingest', detail: '60 symbols' });
    progress.onEvent({ kind: 'enqueued', phase: 'equities_eod', units: 4, byVendor: { alpaca: 4 } });
    h.advance(60_000, 1_000);
    progress.onEvent(done('a0', 100));
    h.advance(60_000, 1_000);
    progress.onEvent(done('a1', 100));
    progress.finish();
    const text = h.stderr();
    expect(text).toContain('ingest: 60 symbols');
    expect(text).toMatch(/alpaca\s+█{12}░{12} 2\/4 units · 200 rows · 1\.0 units\/min · ETA 2 min virtual/);
    expect(text).not.toContain('{"');
  });

  it('--json on a terminal logs instead of drawing; quiet prints nothing', () => {
    const h = harness();
    createProgress(h.io, h.clock, { tty: true, json: true, wallNow: h.wallNow }).phase('audit', 3);
    expect(h.lines()[0]).toMatchObject({ event: 'phase.start', phase: 'audit', total: 3 });
    const q = harness();
    const quiet = createProgress(q.io, q.clock, { tty: false, quiet: true, wallNow: q.wallNow });
    quiet.phase('audit', 3);
    quiet.onEvent(done('a0', 1));
    quiet.finish();
    expect(q.stderr()).toBe('');
  });
});
