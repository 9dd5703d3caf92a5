/** What an FMP key is entitled to. Defaults are the free ("Basic") plan of a key created today. */
export interface FmpPlan {
  /** Requests per New York calendar day per key; the next one gets "Limit Reach" (free: 250). */
  requestsPerDay: number;
  /** Response bytes per trailing 30 New York days per key (free: 500 MB). */
  bandwidthBytesPer30Days: number;
  /** Status of the "Limit Reach" answers: 429, or 200 as also observed (vendor notes §2.2). */
  limitReachStatus: 429 | 200;
  /**
   * Symbols the symbol-scoped endpoints serve; any other (unknown ones included) gets the premium
   * symbol 402. `'all'` = every symbol, and an unknown one gets `200 []` as on paid plans.
   */
  symbols: readonly string[] | 'all';
  /** Profile is the observed exception to the symbol sample on free keys. */
  profileAnySymbol: boolean;
  /** Statements: `period=quarter` (and Q1…Q4) allowed (free: annual only). */
  quarterlyStatements: boolean;
  /** Statements: largest `limit` (free: 5); null = no cap. */
  statementLimitMax: number | null;
  /** Delisted companies: largest `page` (free: 0); null = no cap. */
  delistedMaxPage: number | null;
  /** Keys whose subscription predates 2025-08-31 may still call `/api/v3` (a new free key may not). */
  legacyAllowed: boolean;
  /** Paths refused with the Exclusive Endpoint 402; `*` matches any characters. */
  exclusivePaths: readonly string[];
  /** The premium-query 402s come as bare text (as captured) or wrapped in `{"Error Message": …}` (also seen). */
  premiumQueryBody: 'text' | 'json';
}

export interface FmpCredentials {
  apiKey: string;
}

/**
 * The free plan's symbol sample, as published ("Symbol Limited to AAPL, TSLA, AMZN and 84 more";
 * vendor notes §2.1, duplicates removed). FMP changes it without notice: connectors must learn it.
 */
export const FMP_FREE_SAMPLE: readonly string[] = [
  'AAPL', 'TSLA', 'AMZN', 'MSFT', 'NVDA', 'GOOGL', 'META', 'NFLX', 'JPM', 'V', 'BAC', 'AMD', 'PYPL', 'DIS', 'T', 'PFE',
  'COST', 'INTC', 'KO', 'TGT', 'NKE', 'SPY', 'BA', 'BABA', 'XOM', 'WMT', 'GE', 'CSCO', 'VZ', 'JNJ', 'CVX', 'PLTR', 'SQ',
  'SHOP', 'SBUX', 'SOFI', 'HOOD', 'RBLX', 'SNAP', 'UBER', 'FDX', 'ABBV', 'ETSY', 'MRNA', 'LMT', 'GM', 'F', 'RIVN', 'LCID',
  'CCL', 'DAL', 'UAL', 'AAL', 'TSM', 'SONY', 'ET', 'NOK', 'MRO', 'COIN', 'SIRI', 'RIOT', 'CPRX', 'VWO', 'SPYG', 'ROKU',
  'VIAC', 'ATVI', 'BIDU', 'DOCU', 'ZM', 'PINS', 'TLRY', 'WBA', 'MGM', 'NIO', 'C', 'GS', 'WFC', 'ADBE', 'PEP', 'UNH', 'CARR',
  'FUBO', 'HCA', 'TWTR', 'BILI', 'RKT',
];

/** Endpoints a free key is refused outright (vendor notes §2.1, §3.6). */
const FREE_EXCLUSIVE_PATHS: readonly string[] = [
  '/stable/*-bulk',
  '/stable/batch-quote',
  '/stable/news/*',
  '/stable/etf/holdings',
  '/stable/institutional-ownership/*',
  '/stable/sp500-constituent',
  '/stable/nasdaq-constituent',
  '/stable/company-screener',
  '/stable/economic-calendar',
  '/stable/symbol-change',
];

export const FMP_FREE_PLAN: FmpPlan = {
  requestsPerDay: 250,
  bandwidthBytesPer30Days: 500_000_000,
  limitReachStatus: 429,
  symbols: FMP_FREE_SAMPLE,
  profileAnySymbol: true,
  quarterlyStatements: false,
  statementLimitMax: 5,
  delistedMaxPage: 0,
  legacyAllowed: false,
  exclusivePaths: FREE_EXCLUSIVE_PATHS,
  premiumQueryBody: 'text',
};

/** The plan with overrides applied; `symbols` is copied so later edits of the caller's list do not leak in. */
export function resolvePlan(overrides: Partial<FmpPlan> | undefined): FmpPlan {
  const plan = { ...FMP_FREE_PLAN, ...overrides };
  return { ...plan, symbols: plan.symbols === 'all' ? 'all' : [...plan.symbols], exclusivePaths: [...plan.exclusivePaths] };
}

export function isExclusive(plan: FmpPlan, path: string): boolean {
  return plan.exclusivePaths.some((pattern) => globToRegExp(pattern).test(path));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
