import { nyInstant } from '../../calendar/index.js';
import { isIsoDate } from '../shared/index.js';

/** `currentRatio` → `current_ratio`, `NetIncomeLoss` → `net_income_loss`, `EBITDAMargin` → `ebitda_margin`. */
export function snakeCase(name: string): string {
  return name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

const NY_STAMP_RE = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * `YYYY-MM-DD HH:MM:SS` in New York wall-clock time (EDGAR stamps acceptance in Eastern time: a
 * filing accepted after 17:30 is dated the next business day, as AAPL's 10-K accepted
 * `2019-10-30 18:12:36` was filed `2019-10-31`) → an ISO UTC instant; null when absent or junk.
 */
export function nyStampToUtc(value: string | null | undefined): string | null {
  const match = value === null || value === undefined ? null : NY_STAMP_RE.exec(value.trim());
  if (!match) return null;
  const [, date = '', hh = '', mm = '', ss = ''] = match;
  if (!isIsoDate(date) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  return new Date(nyInstant(date, `${hh}:${mm}`) + Number(ss) * 1000).toISOString();
}
