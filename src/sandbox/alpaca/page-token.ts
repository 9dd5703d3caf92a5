/** `D` daily, `H` hourly, `M` minute: the unit letter of the vendor's bar tokens. */
export type TokenUnit = 'D' | 'H' | 'M';

/** The last row a page returned: the next page starts after it. */
export interface BarCursor {
  symbol: string;
  ms: number;
}

export interface PageRow<B> extends BarCursor {
  bar: B;
}

export interface Page<B> {
  rows: Array<PageRow<B>>;
  nextPageToken: string | null;
}

/** Desc tokens carry an inverted timestamp, as the vendor's do. */
const INVERT_BASE_NS = 9_223_372_036_000_000_000n;
const LATEST_MS = Date.UTC(9000, 0, 1);
const ASC_TIME_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})000000Z$/;

/** base64 of `SYMBOL|<unit>|<time>|<fingerprint>`: the cursor, and the parameters it belongs to. */
export function encodeBarToken(cursor: BarCursor, unit: TokenUnit, sort: 'asc' | 'desc', print: string): string {
  const time = sort === 'asc' ? new Date(cursor.ms).toISOString().replace(/Z$/, '000000Z') : String(INVERT_BASE_NS - BigInt(cursor.ms) * 1_000_000n);
  return Buffer.from(`${cursor.symbol}|${unit}|${time}|${print}`).toString('base64');
}

/** The cursor of a token minted by `encodeBarToken` for these very parameters, else undefined. */
export function decodeBarToken(token: string, unit: TokenUnit, sort: 'asc' | 'desc', print: string, symbols: readonly string[]): BarCursor | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (Buffer.from(text).toString('base64') !== token) return undefined;
  const [symbol, tokenUnit, time, tokenPrint, ...rest] = text.split('|');
  if (rest.length > 0 || tokenUnit !== unit || tokenPrint !== print || symbol === undefined || !symbols.includes(symbol) || time === undefined) return undefined;
  let ms: number;
  if (sort === 'asc') {
    const match = ASC_TIME_RE.exec(time);
    ms = match ? Date.parse(`${match[1] as string}Z`) : NaN;
  } else {
    ms = /^\d{1,19}$/.test(time) ? Number((INVERT_BASE_NS - BigInt(time)) / 1_000_000n) : NaN;
  }
  // A time the calendar cannot place is no token of ours.
  return Number.isFinite(ms) && ms >= 0 && ms < LATEST_MS ? { symbol, ms } : undefined;
}

/**
 * Up to `size` rows; a token only when another row follows (the vendor's last page says null).
 * `rows` is consumed lazily, so a generator computes no more than one row past the page.
 */
export function takePage<B>(rows: Iterable<PageRow<B>>, size: number, token: (last: PageRow<B>) => string): Page<B> {
  const out: Array<PageRow<B>> = [];
  for (const row of rows) {
    if (out.length === size) return { rows: out, nextPageToken: token(out[out.length - 1] as PageRow<B>) };
    out.push(row);
  }
  return { rows: out, nextPageToken: null };
}

/** Whether a row sorted `sort` comes after the cursor within the cursor's symbol. */
export function isAfter(ms: number, cursor: BarCursor, sort: 'asc' | 'desc'): boolean {
  return sort === 'asc' ? ms > cursor.ms : ms < cursor.ms;
}

/** A deterministic page cap in [min, max], fixed per request (the vendor's short intraday pages). */
export function pageCap(cap: { min: number; max: number }, seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  const span = Math.max(0, Math.floor(cap.max) - Math.floor(cap.min));
  return Math.max(1, Math.floor(cap.min) + (h % (span + 1)));
}
