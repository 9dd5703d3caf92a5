import type { CorpActionRow } from '../../catalog/index.js';
import { addDays } from '../../calendar/index.js';
import { BadRequest, buildUrl } from '../../http/index.js';
import { invariantBroken, lineage, requireDate, requireOrderedRange, type Lineage } from '../shared/index.js';
import type { AlpacaContext } from './context.js';
import { TokenTracker } from './context.js';
import { corporateActionsPageSchema, type CorporateActionGroups } from './schemas.js';
import { normalizeAlpacaSymbols } from './symbols.js';

const ENDPOINT = 'alpaca.corporate_actions';

/** Alpaca's `start`/`end` filter on process_date, which trails (or occasionally leads) the ex date. */
export const PROCESS_DATE_SLACK_DAYS = 30;
export const CORPORATE_ACTIONS_PAGE_LIMIT = 1000;

/** The types this connector turns into rows; sent as `types` unless the caller narrows them. */
export const MAPPED_ACTION_TYPES = [
  'forward_split',
  'reverse_split',
  'cash_dividend',
  'stock_dividend',
  'spin_off',
  'cash_merger',
  'stock_merger',
  'stock_and_cash_merger',
  'name_change',
  'worthless_removal',
] as const;

export interface AlpacaCorporateActionsParams {
  symbols?: string[];
  /** Effective-date window, inclusive (see fetchCorporateActions for the exact rule). */
  start: string;
  end: string;
  types?: string[];
  signal?: AbortSignal;
}

/**
 * `GET /v1/corporate-actions`, all pages, as canonical rows.
 *
 * Window rule: Alpaca filters on `process_date`, which can trail the ex date by weeks (and lead
 * it for pre-announced splits), so we query process_date in [start − 30 d, end + 30 d] and keep a
 * record iff its effective date lies in [start, end]. The effective date is `ex_date` for splits,
 * dividends and spin-offs, `effective_date` for mergers and `process_date` for name changes and
 * worthless removals (which have no ex date).
 */
export async function fetchCorporateActions(ctx: AlpacaContext, params: AlpacaCorporateActionsParams): Promise<CorpActionRow[]> {
  const start = requireDate(params.start, 'start', 'alpaca', ENDPOINT);
  const end = requireDate(params.end, 'end', 'alpaca', ENDPOINT);
  requireOrderedRange(start, end, 'alpaca', ENDPOINT);
  const query = {
    symbols: params.symbols === undefined ? undefined : normalizeAlpacaSymbols(params.symbols, ENDPOINT).join(','),
    types: actionTypes(params.types).join(','),
    start: addDays(start, -PROCESS_DATE_SLACK_DAYS),
    end: addDays(end, PROCESS_DATE_SLACK_DAYS),
    limit: CORPORATE_ACTIONS_PAGE_LIMIT,
  };
  const rows = new Map<string, CorpActionRow>();
  const tokens = new TokenTracker();
  let pageToken: string | undefined;
  for (let page = 1; ; page += 1) {
    const url = buildUrl(ctx.dataBaseUrl, '/v1/corporate-actions', { ...query, page_token: pageToken });
    const result = await ctx.http.getJson(url, { endpoint: ENDPOINT, headers: ctx.headers, schema: corporateActionsPageSchema, signal: params.signal });
    const origin = lineage('alpaca', result.redactedUrl, ctx.clock);
    for (const [id, row] of corporateActionRows(result.body.corporate_actions ?? {}, origin)) {
      if (row.ex_date >= start && row.ex_date <= end) rows.set(id, row);
    }
    pageToken = tokens.next(result.body.next_page_token, () => invariantBroken(result, 'alpaca', ENDPOINT, `next_page_token repeated after ${page} page(s)`));
    if (pageToken === undefined) return [...rows.values()];
  }
}

function actionTypes(types: string[] | undefined): string[] {
  if (types === undefined) return [...MAPPED_ACTION_TYPES];
  const invalid = types.filter((type) => !/^[a-z_]+$/.test(type));
  if (invalid.length > 0 || types.length === 0) {
    throw new BadRequest(`types must be a non-empty list of snake_case action types, got ${JSON.stringify(types)}`, { vendor: 'alpaca', endpoint: ENDPOINT });
  }
  return types;
}

type Row = [id: string, row: CorpActionRow];

const EMPTY = { split_ratio: null, cash_amount: null, currency: null, record_date: null, pay_date: null, declared_date: null, new_symbol: null };

/**
 * Canonical rows from one page, keyed by Alpaca's record id (pages never overlap, but a re-sent
 * page must not double a row). split_ratio is new shares per old share throughout.
 */
export function corporateActionRows(groups: CorporateActionGroups, origin: Lineage): Row[] {
  const rows: Row[] = [];
  const add = (id: string, row: Pick<CorpActionRow, 'symbol' | 'action' | 'ex_date'> & Partial<CorpActionRow>): void => {
    rows.push([id, { ...EMPTY, ...row, ...origin }]);
  };
  for (const s of [...(groups.forward_splits ?? []), ...(groups.reverse_splits ?? [])]) {
    // new_rate shares for old_rate: 4-for-1 → 4, 1-for-10 → 0.1.
    add(s.id, { symbol: s.symbol, action: 'split', ex_date: s.ex_date, split_ratio: s.new_rate / s.old_rate, record_date: s.record_date ?? null, pay_date: s.payable_date ?? null, new_symbol: s.new_symbol ?? null });
  }
  for (const d of groups.cash_dividends ?? []) {
    add(d.id, { symbol: d.symbol, action: 'dividend', ex_date: d.ex_date, cash_amount: d.rate, currency: d.currency || null, record_date: d.record_date ?? null, pay_date: d.payable_date ?? null });
  }
  for (const d of groups.stock_dividends ?? []) {
    // rate = new shares per held share (0.05 = 5 %): a holder ends with 1 + rate shares.
    add(d.id, { symbol: d.symbol, action: 'stock_dividend', ex_date: d.ex_date, split_ratio: 1 + d.rate, record_date: d.record_date ?? null, pay_date: d.payable_date ?? null });
  }
  for (const s of groups.spin_offs ?? []) {
    // Parent in source_symbol; ratio = shares of the new company per parent share.
    add(s.id, { symbol: s.source_symbol, action: 'spinoff', ex_date: s.ex_date, split_ratio: s.new_rate / s.source_rate, new_symbol: s.new_symbol, record_date: s.record_date ?? null, pay_date: s.payable_date ?? null });
  }
  for (const m of groups.cash_mergers ?? []) {
    add(m.id, { symbol: m.acquiree_symbol, action: 'merger', ex_date: m.effective_date, cash_amount: m.rate, new_symbol: m.acquirer_symbol ?? null, pay_date: m.payable_date ?? null });
  }
  for (const m of [...(groups.stock_mergers ?? []), ...(groups.stock_and_cash_mergers ?? [])]) {
    const cash = 'cash_rate' in m && typeof m.cash_rate === 'number' ? m.cash_rate : null;
    add(m.id, { symbol: m.acquiree_symbol, action: 'merger', ex_date: m.effective_date, split_ratio: m.acquirer_rate / m.acquiree_rate, cash_amount: cash, new_symbol: m.acquirer_symbol, pay_date: m.payable_date ?? null });
  }
  for (const n of groups.name_changes ?? []) add(n.id, { symbol: n.old_symbol, action: 'symbol_change', ex_date: n.process_date, new_symbol: n.new_symbol });
  for (const w of groups.worthless_removals ?? []) add(w.id, { symbol: w.symbol, action: 'delisting', ex_date: w.process_date });
  return rows;
}
