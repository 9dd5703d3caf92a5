import { addDays, sessionDatesBetween } from '../calendar/index.js';
import { sqlFileList, type Lake } from '../lake/index.js';

/** Sessions the ranking looks back over: about a trading month, robust to one odd day. */
export const LIQUIDITY_SESSIONS = 20;

export interface LiquidityRank {
  symbol: string;
  /** Median of close × volume over the sessions the symbol traded in the lookback. */
  dollarVolume: number;
  sessions: number;
}

/** The last `count` sessions up to and including `asOf` (asOf need not be a session). */
function lookbackSessions(asOf: string, count: number): string[] {
  return sessionDatesBetween(addDays(asOf, -Math.ceil(count * 1.6) - 10), asOf).slice(-count);
}

/**
 * Symbols ranked by median daily dollar volume (close × volume) over the last ~20 sessions up to
 * `asOf`, from every vendor's raw equities_eod in the lake (one row per symbol and date, so two
 * vendors of the same bar do not count twice). Ties break on the symbol, so the order is
 * deterministic. `among` restricts the ranking to these symbols. [] when the lake has no bars in
 * the lookback.
 */
export async function liquidityRanking(lake: Lake, asOf: string, options: { among?: readonly string[]; sessions?: number } = {}): Promise<LiquidityRank[]> {
  const sessions = lookbackSessions(asOf, options.sessions ?? LIQUIDITY_SESSIONS);
  const first = sessions[0];
  if (first === undefined) return [];
  const files = await lake.rawGlob('equities_eod');
  if (files.length === 0) return [];
  const among = options.among === undefined ? undefined : [...new Set(options.among)];
  if (among !== undefined && among.length === 0) return [];
  const filter = among === undefined ? '' : 'AND list_contains(?::VARCHAR[], symbol)';
  const rows = await lake.query<{ symbol: string; dollar_volume: number; sessions: number }>(
    `WITH daily AS (
       SELECT symbol, date, max(close * volume) AS dv
       FROM read_parquet(${sqlFileList(files)}, union_by_name = true, hive_partitioning = false)
       WHERE date BETWEEN ?::DATE AND ?::DATE AND close IS NOT NULL AND volume IS NOT NULL ${filter}
       GROUP BY symbol, date)
     SELECT symbol, median(dv)::DOUBLE AS dollar_volume, count(*)::BIGINT AS sessions
     FROM daily GROUP BY symbol ORDER BY dollar_volume DESC, symbol ASC`,
    among === undefined ? [first, asOf] : [first, asOf, among],
  );
  return rows.map((r) => ({ symbol: r.symbol, dollarVolume: r.dollar_volume, sessions: Number(r.sessions) }));
}

/**
 * The `n` most liquid symbols as of `asOf` (see liquidityRanking), restricted to `universe` when
 * given. Before the lake holds any bars in the lookback it falls back to the universe's own order
 * (alphabetical for loadUniverse), the only order there is then; callers that would spend scarce
 * requests on a guess can call liquidityRanking and wait for bars instead.
 */
export async function topSymbolsByDollarVolume(lake: Lake, n: number, asOf: string, universe?: readonly string[]): Promise<string[]> {
  if (n <= 0) return [];
  const ranked = await liquidityRanking(lake, asOf, universe === undefined ? {} : { among: universe });
  if (ranked.length === 0) return (universe ?? []).slice(0, n);
  return ranked.slice(0, n).map((r) => r.symbol);
}
