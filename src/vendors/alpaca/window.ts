import type { EndpointId } from '../../catalog/index.js';
import { addDays, nyInstant } from '../../calendar/index.js';
import { BadRequest, type HttpResult } from '../../http/index.js';
import { instantMs, invariantBroken, isIsoDate } from '../shared/index.js';

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC-3339 instant with a zone (`Z` or an offset), as Alpaca accepts for `start`/`end`. */
export function isRfc3339Instant(value: string): boolean {
  return RFC3339_RE.test(value) && instantMs(value) !== undefined;
}

/** `start`/`end` exactly as sent, and the same bounds in epoch ms to check the answer against. */
export interface InstantWindow {
  start: string;
  end: string;
  startMs: number;
  endMs: number;
}

/**
 * The request window of an intraday query, both ends inclusive, as explicit UTC instants.
 *
 * Alpaca reads a bare `YYYY-MM-DD` as 00:00 UTC, which for intraday bars is 19:00/20:00 New York
 * of the day before: `end=2024-03-12` would stop before that day's session. So a bare date means
 * the whole New York day here: `start` D → 00:00 New York on D, `end` D → 23:59:59 New York on D
 * (one second before the next New York midnight; bars start on whole minutes, so nothing is lost).
 * Around DST the New York day is 23 or 25 hours long and the window follows it. An RFC-3339
 * instant is used as given, normalised to UTC (`…Z`, millisecond precision).
 */
export function nyDayWindow(start: string, end: string, endpoint: EndpointId): InstantWindow {
  const startMs = bound(start, 'start', endpoint, (date) => nyInstant(date, '00:00'));
  const endMs = bound(end, 'end', endpoint, (date) => nyInstant(addDays(date, 1), '00:00') - 1_000);
  if (startMs > endMs) throw bad(`start ${start} is after end ${end}`, endpoint);
  return { start: iso(startMs), end: iso(endMs), startMs, endMs };
}

function bound(value: string, name: string, endpoint: EndpointId, ofDate: (date: string) => number): number {
  if (isIsoDate(value)) return ofDate(value);
  if (isRfc3339Instant(value)) return instantMs(value) as number;
  throw bad(`${name} must be YYYY-MM-DD or an RFC-3339 instant, got ${JSON.stringify(value)}`, endpoint);
}

/** Whole seconds print without a fraction (`…T04:59:59Z`), as the docs' examples do. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function bad(detail: string, endpoint: EndpointId): BadRequest {
  return new BadRequest(detail, { vendor: 'alpaca', endpoint });
}

/**
 * Epoch ms of a bar's `t`, which must parse and lie inside the window asked for: a bar outside it
 * means the vendor read the window differently, and the page is rejected rather than misfiled.
 */
export function barInstantWithin(result: Pick<HttpResult<unknown>, 'redactedUrl' | 'redactedText' | 'status'>, endpoint: EndpointId, key: string, t: string, window: InstantWindow): number {
  const at = instantMs(t);
  if (at === undefined) throw invariantBroken(result, 'alpaca', endpoint, `bar of ${key} has an unparseable t ${JSON.stringify(t)}`);
  if (at < window.startMs || at > window.endMs) throw invariantBroken(result, 'alpaca', endpoint, `bar of ${key} at ${t} lies outside the requested ${window.start}..${window.end}`);
  return at;
}
