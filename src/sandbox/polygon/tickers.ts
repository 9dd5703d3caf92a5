import type { SandboxSymbol } from '../market/index.js';
import { stableHex } from '../shared/ids.js';
import type { EmulatorResponse } from '../shared/http.js';
import type { PolygonContext } from './context.js';
import { referenceList, v3Order, type Fields } from './reference.js';

interface TickerRow {
  ticker: string;
  name: string;
  market: string;
  locale: string;
  primary_exchange: string;
  type: string;
  active: boolean;
  currency_name: string;
  cik?: string;
  composite_figi: string;
  share_class_figi: string;
  last_updated_utc: string;
  delisted_utc?: string;
}

const FIGI_CHARS = 'BCDFGHJKLMNPQRSTVWXYZ0123456789';

function figi(label: string): string {
  const h = stableHex(label, 18);
  let out = 'BBG';
  for (let i = 0; i < 9; i++) out += FIGI_CHARS[parseInt(h.slice(i * 2, i * 2 + 2), 16) % FIGI_CHARS.length];
  return out;
}

function tickerRow(s: SandboxSymbol, today: string): TickerRow {
  const active = s.delistDate === null || s.delistDate > today;
  // Funds often have no CIK in the vendor's data.
  const cikNumber = parseInt(stableHex(`cik:${s.symbol}`, 8), 16) % 2_000_000;
  const cik = s.type === 'CS' || cikNumber % 2 === 0 ? { cik: String(cikNumber).padStart(10, '0') } : {};
  return {
    ticker: s.symbol,
    name: s.name,
    market: 'stocks',
    locale: 'us',
    primary_exchange: s.exchange,
    type: s.type,
    active,
    currency_name: 'usd',
    ...cik,
    composite_figi: figi(`composite:${s.symbol}`),
    share_class_figi: figi(`share-class:${s.symbol}`),
    last_updated_utc: active ? `${today}T00:00:00Z` : `${s.delistDate}T00:00:00Z`,
    ...(active ? {} : { delisted_utc: `${s.delistDate}T00:00:00Z` }),
  };
}

const FIELDS: Fields<TickerRow> = {
  ticker: { kind: 'string', get: (r) => r.ticker, ranges: true },
  type: { kind: 'string', get: (r) => r.type },
  market: { kind: 'string', get: (r) => r.market },
  exchange: { kind: 'string', get: (r) => r.primary_exchange },
  active: { kind: 'boolean', get: (r) => r.active },
  cik: { kind: 'string', get: (r) => r.cik },
  name: { kind: 'string', get: (r) => r.name },
  locale: { kind: 'string', get: (r) => r.locale },
  primary_exchange: { kind: 'string', get: (r) => r.primary_exchange },
  currency_name: { kind: 'string', get: (r) => r.currency_name },
  composite_figi: { kind: 'string', get: (r) => r.composite_figi },
  share_class_figi: { kind: 'string', get: (r) => r.share_class_figi },
  last_updated_utc: { kind: 'string', get: (r) => r.last_updated_utc },
  delisted_utc: { kind: 'string', get: (r) => r.delisted_utc },
};
const SORTABLE = Object.keys(FIELDS).filter((k) => k !== 'active' && k !== 'exchange');

/**
 * `GET /v3/reference/tickers`: symbols listed by today; `active` defaults to true, `active=false`
 * lists the delisted with `delisted_utc`; `search` matches ticker or name.
 */
export function tickers(query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  const rows = ctx.market.symbols.filter((s) => s.listDate <= ctx.today).map((s) => tickerRow(s, ctx.today));
  return referenceList(
    {
      path: '/v3/reference/tickers',
      fields: FIELDS,
      defaultLimit: 100,
      maxLimit: 1000,
      order: v3Order(SORTABLE, 'ticker', 'asc', 'ticker'),
      rows,
      preFilter: defaults,
      render: (r) => ({ ...r }),
    },
    query,
    ctx,
  );
}

/** `active` defaults to true; `search` is free text over ticker and name. */
function defaults(params: URLSearchParams): (row: TickerRow) => boolean {
  const search = params.get('search')?.toLowerCase();
  return (r) => (params.has('active') || r.active) && (!search || r.ticker.toLowerCase().includes(search) || r.name.toLowerCase().includes(search));
}
