import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import type { Market } from '../market/index.js';

/** What one request handler may read: the market and the instant it is served at. */
export interface AlpacaContext {
  market: Market;
  now: number;
  /** New York date of `now`. */
  today: string;
  /** Latest session whose close is at or before `now`: bars after it do not exist yet. */
  lastCompleted: string;
  /** Free plan: SIP data newer than this many ms is refused. */
  recentSipBlockMs: number;
  /** Bars per intraday page, whatever `limit` says (each request draws one value in the range). */
  intradayPageCap: { min: number; max: number };
  /** Whether the plan includes the OPRA options feed. */
  opra: boolean;
  /** First date with options data. */
  optionsHistoryStart: string;
}

/** Alpaca error bodies are `{"message": …}`, sometimes with a numeric `code` first. */
export function alpacaError(status: number, message: string, code?: number): EmulatorResponse {
  return jsonResponse(status, code === undefined ? { message } : { code, message });
}
