import { BadRequest } from '../../http/index.js';
import { isIsoDate } from '../shared/index.js';

/** One option contract, read from its OCC symbol. */
export interface OccContract {
  /** The OCC symbol without padding and without a vendor prefix: `AAPL240419P00140000`. */
  contract: string;
  /** The OCC root (1–6 characters, may carry digits: `AAPL1`, `SPXW`). */
  root: string;
  /** The root without an adjustment digit suffix (`AAPL1` → `AAPL`); see parseOccSymbol. */
  underlying: string;
  /** `YYYY-MM-DD` */
  expiration: string;
  right: 'C' | 'P';
  strike: number;
}

// Root, then a fixed 15-character tail: yymmdd, C/P, strike × 1000 on 8 digits. Anchoring both
// ends makes the split unambiguous even when the root ends in digits.
const OCC_RE = /^([A-Z0-9]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;
const ADJUSTMENT_SUFFIX_RE = /^([A-Z]+)\d+$/;

/**
 * Parses an OCC option symbol (`AAPL240419P00140000`: root AAPL, expiring 2024-04-19, put, strike
 * 140.000). Polygon's `O:` prefix is stripped. Years are 20yy. Returns undefined for anything that
 * is not a real contract symbol (bad date, lowercase, spaces, a root without a letter).
 *
 * `underlying` is the root, except that OCC appends a digit to the root of a contract adjusted for
 * a corporate action (`AAPL1`): its underlying is still `AAPL`, with a non-standard deliverable.
 * Other root aliases (SPXW for SPX weeklies) are kept as they are: that needs a table, not a rule.
 */
export function parseOccSymbol(symbol: string): OccContract | undefined {
  const contract = symbol.startsWith('O:') ? symbol.slice(2) : symbol;
  const match = OCC_RE.exec(contract);
  if (!match) return undefined;
  const [, root = '', yy, mm, dd, right, strike] = match;
  if (!/[A-Z]/.test(root)) return undefined;
  const expiration = `20${yy}-${mm}-${dd}`;
  if (!isIsoDate(expiration)) return undefined;
  const underlying = ADJUSTMENT_SUFFIX_RE.exec(root)?.[1] ?? root;
  return { contract, root, underlying, expiration, right: right === 'C' ? 'C' : 'P', strike: Number(strike) / 1000 };
}

/**
 * Option symbols for a request: trimmed, `O:` stripped, deduped, and every one a valid OCC symbol
 * (one bad symbol would fail the whole batch), refused before a request is spent.
 */
export function normalizeOptionSymbols(symbols: readonly string[], endpoint: 'alpaca.options.bars'): string[] {
  const out = new Set<string>();
  const invalid: string[] = [];
  for (const raw of symbols) {
    const parsed = parseOccSymbol(raw.trim());
    if (parsed === undefined) invalid.push(JSON.stringify(raw));
    else out.add(parsed.contract);
  }
  if (invalid.length > 0) throw new BadRequest(`invalid OCC option symbol(s): ${invalid.slice(0, 10).join(', ')}`, { vendor: 'alpaca', endpoint });
  if (out.size === 0) throw new BadRequest('no option symbols given', { vendor: 'alpaca', endpoint });
  return [...out];
}
