import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { z } from 'zod';
import type { Clock } from '../clock/index.js';
import { redactText } from '../http/index.js';
import type { Lake } from '../lake/index.js';
import { LOG_LEVELS, type StateStore } from '../state/index.js';
import { readAllCoverage, readCoverage } from './coverage.js';
import { renderPage } from './page.js';
import { addDays, nyDate } from '../calendar/index.js';

/** Calendar days of history the dashboard page draws by default. */
export const PAGE_DAYS = 730;
import { redactDeep } from './redact.js';
import { datasetFreshness, freshness, nodeStatus, recentEntries, vendorStatuses, type VendorLimitMap } from './status.js';

export interface DashboardConfig {
  /** Per-vendor rpm and daily budget, as the pacer uses them. */
  limits: VendorLimitMap;
}

export interface DashboardOptions {
  lake: Lake;
  state: StateStore;
  config: DashboardConfig;
  clock: Clock;
  /** Every key value: nothing the dashboard sends may contain one. */
  secrets: readonly string[];
}

const coverageQuery = z.object({
  dataset: z.string().regex(/^[a-z_]{1,64}$/).default('equities_eod'),
  since: z.iso.date().optional(),
});
const logQuery = z.object({ level: z.enum(LOG_LEVELS).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) });

/**
 * The read-only dashboard: one HTML page and a JSON API over the lake and the state store. It only
 * defines GET routes and calls only reading methods. Every response passes twice through redaction:
 * each string of the data, then the whole body, so a key cannot leak through a formatting path.
 */
export function createDashboard(options: DashboardOptions): Hono {
  const { lake, state, clock, secrets } = options;
  const limits = options.config.limits;
  const app = new Hono();

  // Outermost, so it compresses the redacted body: the page of a dozen datasets over two years is
  // ~1.9 MB of SVG and ~80 KB gzipped, which matters to a Pi on Wi-Fi.
  app.use('*', compress());
  app.use('*', async (c, next) => {
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (!/^(text\/|application\/json)/.test(type)) return;
    const body = redactText(await c.res.text(), secrets);
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    headers.set('cache-control', 'no-store');
    headers.set('x-content-type-options', 'nosniff');
    c.res = new Response(body, { status: c.res.status, headers });
  });

  const json = (c: Context, value: unknown) => c.json(redactDeep(value, secrets) as object);

  app.get('/api/status', async (c) => json(c, await nodeStatus({ lake, state, limits, nowMs: clock.now() })));
  app.get('/api/coverage', async (c) => {
    const q = coverageQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: 'UsageError', message: 'dataset: a dataset name; since: a date YYYY-MM-DD' }, 400);
    return json(c, await readCoverage(lake, q.data.dataset, q.data.since));
  });
  app.get('/api/vendors', async (c) => {
    const nowMs = clock.now();
    return json(c, { at: new Date(nowMs).toISOString(), vendors: await vendorStatuses(state, limits, nowMs) });
  });
  app.get('/api/queue', async (c) => json(c, { at: new Date(clock.now()).toISOString(), ...(await state.queueStats(clock.now())) }));
  app.get('/api/log', async (c) => {
    const q = logQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: 'UsageError', message: `level: one of ${LOG_LEVELS.join(', ')}; limit: 1 to 500` }, 400);
    return json(c, { entries: await recentEntries(state, { limit: q.data.limit, ...(q.data.level ? { minLevel: q.data.level } : {}) }) });
  });
  app.get('/api/freshness', async (c) => json(c, { partitions: await freshness(lake) }));
  app.get('/api/datasets', async (c) => {
    const q = coverageQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: 'UsageError', message: 'since: a date YYYY-MM-DD' }, 400);
    return json(c, { at: new Date(clock.now()).toISOString(), datasets: (await readAllCoverage(lake, q.data.since)).map(datasetFreshness) });
  });
  app.get('/', async (c) => {
    const q = coverageQuery.safeParse(c.req.query());
    const one = q.success && c.req.query('dataset') !== undefined ? q.data.dataset : undefined;
    // The page shows the last two years unless asked (`?since=`): decades of treasury days would weigh megabytes.
    const since = (q.success ? q.data.since : undefined) ?? addDays(nyDate(clock.now()), -PAGE_DAYS);
    const bands = one === undefined ? await readAllCoverage(lake, since) : [await readCoverage(lake, one, since)];
    const view = redactDeep(
      {
        status: await nodeStatus({ lake, state, limits, nowMs: clock.now() }),
        coverage: bands.length > 0 ? bands : [await readCoverage(lake, 'equities_eod', since)],
        freshness: await freshness(lake),
        decisions: await recentEntries(state, { limit: 12 }),
      },
      secrets,
    );
    return c.html(renderPage(view));
  });
  app.notFound((c) => c.json({ error: 'NotFound', message: 'no such page; try / or /api/status' }, 404));
  app.onError((error, c) => c.json({ error: error.name, message: redactText(error.message, secrets) }, 500));
  return app;
}
