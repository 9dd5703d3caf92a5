import { createRng, type Rng } from './market/random.js';
import type { Fault, FaultInjector, SandboxVendor } from './server.js';

/**
 * Fault kinds a spec can name. Each is a response a real vendor has been seen to send:
 * - `hang`: accepts the request and never answers (a timeout on the client's side);
 * - `reset`: accepts the request and drops the connection (ECONNRESET on the client's side);
 * - `5xx`: HTTP 503 with a plain-text body;
 * - `html`: HTTP 502 with an HTML gateway page;
 * - `429`: the vendor's own rate-limit response (Alpha Vantage's is an HTTP 200 `Note`), no wait named;
 * - `429retry`: the same with `Retry-After: 7` (seconds);
 * - `note`: an HTTP 200 Alpha Vantage-style `{"Note": …}` throttle body (any vendor);
 * - `error200`: the vendor's error object in an HTTP 200 body (FMP `{"Error Message": …}`, …);
 * - `nodata`: Finnhub's `{"s":"no_data"}` empty answer (Finnhub only);
 * - `truncate`: the normal answer cut in half (malformed JSON);
 * - `drift_missing`, `drift_retype`, `drift_extra`: the normal answer with its first record missing a
 *   numeric field, with that field retyped to a string, or with a new unknown field.
 */
export const FAULT_KINDS = [
  'hang',
  'reset',
  '5xx',
  'html',
  '429',
  '429retry',
  'note',
  'error200',
  'nodata',
  'truncate',
  'drift_missing',
  'drift_retype',
  'drift_extra',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  vendor: SandboxVendor;
  kind: FaultKind;
  /** Probability per request, 0..1 (1 = every request). */
  rate: number;
}

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

const RATE_LIMIT_RESPONSES: Record<SandboxVendor, Fault> = {
  alpaca: { kind: 'status', status: 429, body: '{"code":42910000,"message":"rate limit exceeded"}', headers: JSON_HEADERS },
  polygon: {
    kind: 'status',
    status: 429,
    body: JSON.stringify({ status: 'ERROR', request_id: '00000000000000000000000000000000', error: "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing" }),
    headers: JSON_HEADERS,
  },
  finnhub: { kind: 'status', status: 429, body: '{"error":"API limit reached. Please try again later. Remaining Limit: 0"}', headers: JSON_HEADERS },
  av: { kind: 'status', status: 200, body: JSON.stringify({ Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.' }), headers: JSON_HEADERS },
  fmp: { kind: 'status', status: 429, body: JSON.stringify({ 'Error Message': 'Limit Reach . Please upgrade your plan or visit our documentation for more details at https://site.financialmodelingprep.com/' }), headers: JSON_HEADERS },
  fred: { kind: 'status', status: 429, body: JSON.stringify({ error_code: 429, error_message: 'Too Many Requests.  Exceeded Rate Limit' }), headers: JSON_HEADERS },
};

/** Each vendor's error object as it arrives in an HTTP 200 body. */
const ERROR_200_RESPONSES: Record<SandboxVendor, string> = {
  alpaca: JSON.stringify({ code: 50010000, message: 'internal server error occurred' }),
  polygon: JSON.stringify({ status: 'ERROR', request_id: '00000000000000000000000000000000', error: 'Internal server error' }),
  finnhub: JSON.stringify({ error: 'Internal error. Please try again later.' }),
  av: JSON.stringify({ 'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.' }),
  fmp: JSON.stringify({ 'Error Message': 'Limit Reach . Please upgrade your plan or visit our documentation for more details at https://site.financialmodelingprep.com/developer/docs/pricing ' }),
  fred: JSON.stringify({ error_code: 500, error_message: 'Internal Server Error' }),
};

function faultOf(rule: FaultRule): Fault {
  switch (rule.kind) {
    case 'hang':
      return { kind: 'hang' };
    case 'reset':
      return { kind: 'reset' };
    case '429retry': {
      const base = RATE_LIMIT_RESPONSES[rule.vendor];
      return base.kind === 'status' && base.status === 429 ? { ...base, headers: { ...base.headers, 'retry-after': '7' } } : base;
    }
    case 'error200':
      return { kind: 'status', status: 200, body: ERROR_200_RESPONSES[rule.vendor], headers: JSON_HEADERS };
    case 'nodata':
      return { kind: 'status', status: 200, body: '{"s":"no_data"}', headers: JSON_HEADERS };
    case 'drift_missing':
    case 'drift_retype':
    case 'drift_extra':
      return { kind: 'rewrite', label: rule.kind, rewrite: (body) => driftBody(body, rule.kind as DriftKind) };
    case 'truncate':
      return { kind: 'truncate' };
    case '5xx':
      return { kind: 'status', status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/plain' } };
    case 'html':
      return { kind: 'status', status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } };
    case '429':
      return RATE_LIMIT_RESPONSES[rule.vendor];
    case 'note':
      return RATE_LIMIT_RESPONSES.av;
  }
}

/** Parses `polygon=hang,av=note,finnhub=5xx:0.1` (vendor=kind[:rate], comma-separated). */
export function parseFaultSpec(spec: string, vendors: readonly SandboxVendor[]): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([a-z_]+)=([a-z0-9_]+)(?::([0-9.]+))?$/.exec(part);
    if (!match) throw new FaultSpecError(`--faults: expected vendor=kind[:rate] (e.g. polygon=hang,finnhub=5xx:0.1), got ${JSON.stringify(part)}`);
    const [, vendorName, kindName, rateText] = match as unknown as [string, string, string, string | undefined];
    const vendor = vendorName === 'massive' ? 'polygon' : vendorName === 'alpha_vantage' ? 'av' : vendorName;
    if (!(vendors as readonly string[]).includes(vendor)) throw new FaultSpecError(`--faults: unknown vendor ${JSON.stringify(vendorName)} (expected one of ${vendors.join(', ')})`);
    if (!(FAULT_KINDS as readonly string[]).includes(kindName)) throw new FaultSpecError(`--faults: unknown fault ${JSON.stringify(kindName)} (expected one of ${FAULT_KINDS.join(', ')})`);
    if (kindName === 'nodata' && vendor !== 'finnhub') throw new FaultSpecError(`--faults: nodata is Finnhub's answer; got it for ${JSON.stringify(vendorName)}`);
    const rate = rateText === undefined ? 1 : Number(rateText);
    if (!(rate > 0 && rate <= 1)) throw new FaultSpecError(`--faults: rate must be in (0, 1], got ${JSON.stringify(rateText)}`);
    rules.push({ vendor: vendor as SandboxVendor, kind: kindName as FaultKind, rate });
  }
  return rules;
}

/**
 * An injector drawing every decision from one seeded stream per vendor, so the same seed and the
 * same request order give the same faults: a failing seed can be replayed exactly.
 */
export function faultInjector(rules: readonly FaultRule[], seed: number): FaultInjector {
  const streams = new Map<SandboxVendor, Rng>();
  return (ctx) => {
    let stream = streams.get(ctx.vendor);
    if (!stream) {
      stream = createRng(seed, `faults:${ctx.vendor}`);
      streams.set(ctx.vendor, stream);
    }
    for (const rule of rules) {
      if (rule.vendor !== ctx.vendor) continue;
      if (rule.rate >= 1 || stream.next() < rule.rate) return faultOf(rule);
    }
    return undefined;
  };
}

type DriftKind = 'drift_missing' | 'drift_retype' | 'drift_extra';

/**
 * Schema drift on a real answer: the first record (first object in the first non-empty array of
 * objects, depth-first) loses its first numeric field, has it retyped to a string, or gains a new
 * field. A body that is not JSON or holds no such record is returned unchanged.
 */
export function driftBody(body: string, kind: DriftKind): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  const record = firstRecord(parsed);
  if (!record) return body;
  const field = Object.keys(record).find((key) => typeof record[key] === 'number');
  if (kind === 'drift_extra') record.x_added_field = 'new in v2';
  else if (field === undefined) return body;
  else if (kind === 'drift_missing') delete record[field];
  else record[field] = 'n/a';
  return JSON.stringify(parsed);
}

function firstRecord(value: unknown, depth = 0): Record<string, unknown> | undefined {
  if (depth > 6 || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (typeof first === 'object' && first !== null && !Array.isArray(first)) return first as Record<string, unknown>;
    return undefined;
  }
  for (const child of Object.values(value)) {
    const found = firstRecord(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}
