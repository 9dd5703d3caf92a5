import type { EndpointId } from '../../catalog/index.js';
import { BadRequest } from '../../http/index.js';

/** Alpaca's symbology: class shares with a dot (BRK.B); BRK-B or BRK/B fail the whole batch with 400. */
const ALPACA_SYMBOL_RE = /^[A-Z][A-Z0-9.]*$/;

/**
 * Maps `-` to `.` (BRK-B → BRK.B), dedupes, and refuses anything else that Alpaca would reject,
 * before a request is spent: one bad symbol makes the whole multi-symbol request fail.
 */
export function normalizeAlpacaSymbols(symbols: readonly string[], endpoint: EndpointId): string[] {
  const out = new Set<string>();
  const invalid: string[] = [];
  for (const raw of symbols) {
    const symbol = raw.trim().replace(/-/g, '.');
    if (!ALPACA_SYMBOL_RE.test(symbol)) invalid.push(JSON.stringify(raw));
    else out.add(symbol);
  }
  if (invalid.length > 0) throw new BadRequest(`invalid symbol(s) for Alpaca: ${invalid.slice(0, 10).join(', ')}`, { vendor: 'alpaca', endpoint });
  return [...out];
}
