import {
  AuthFailed,
  BadRequest,
  MAX_ERROR_BODY_CHARS,
  NotFound,
  Transient,
  errorInit,
  parseRetryTiming,
  rateLimited,
  readVendorMessage,
  type ClassifyContext,
  type VendorError,
} from '../../http/index.js';

const RATE_LIMIT_RE = /too many requests|rate limit/i;
/** "Variable api_key is not set", "… is not registered", "… is not a 32 character …". */
const API_KEY_RE = /\bapi_key\b/i;
const NO_SERIES_RE = /series does not exist/i;

/** FRED's error body, JSON `{"error_code","error_message"}` or XML `<error code="…" message="…"/>`. */
export interface FredErrorBody {
  code: number | undefined;
  message: string;
}

/**
 * FRED's error mapping (vendors/fred.md §6), read from the body whatever the Content-Type says
 * (the docs show JSON errors sent as text/xml) and from XML error bodies too (what FRED answers
 * when `file_type=json` is missing). Checked on every response: a 2xx carrying an error body is
 * classified by its `error_code`. Order: rate limit, key, unknown series, then status.
 *
 * 429 is RateLimited whatever its body (FRED sends no Retry-After; the client waits 60 s). A 400
 * about `api_key` is AuthFailed — including the spurious "not registered" FRED has answered to
 * bursts; the connector retries that once after a pause when the key already worked (context.ts).
 */
export function classifyFredError(status: number, bodyText: string, headers: Headers, ctx?: ClassifyContext): VendorError | undefined {
  const ok = status >= 200 && status < 300;
  // A big 2xx body is data (a full daily series is megabytes); error bodies are one line.
  if (ok && bodyText.length > MAX_ERROR_BODY_CHARS) return undefined;
  const body = readFredErrorBody(bodyText);
  if (ok && body === undefined) return undefined;
  const code = ok ? Math.max(body?.code ?? 400, 400) : status;
  const text = body?.message ?? readVendorMessage(bodyText).text;
  const init = errorInit('fred', status, bodyText, ctx);
  if (code === 429 || RATE_LIMIT_RE.test(text)) return rateLimited(text, init, headers, ctx);
  if (code === 401 || API_KEY_RE.test(text)) return new AuthFailed(text, init);
  if (code === 404 || NO_SERIES_RE.test(text)) {
    const series = seriesOf(ctx?.url);
    return new NotFound(series === undefined ? text : `${text} (series_id ${series})`, { ...init, symbol: series });
  }
  // 423 Locked is in FRED's documented list; nothing says it is permanent.
  if (code === 408 || code === 423 || code === 499 || code >= 500) {
    return new Transient(text, { ...init, retryAfterMs: parseRetryTiming(headers, ctx?.nowMs ?? Date.now()).retryAfterMs });
  }
  // Left to classifyByStatus: other 4xx (403 → EntitlementDenied).
  if (code === 400 || code === 422) return new BadRequest(text, init);
  return undefined;
}

export function readFredErrorBody(bodyText: string): FredErrorBody | undefined {
  const trimmed = bodyText.trimStart();
  if (trimmed.startsWith('{')) {
    const { json } = readVendorMessage(bodyText);
    const message = json?.error_message;
    const code = json?.error_code;
    if (typeof message !== 'string' && typeof code !== 'number') return undefined;
    return { code: typeof code === 'number' ? code : undefined, message: typeof message === 'string' ? message.trim() : `error ${String(code)}` };
  }
  if (trimmed.startsWith('<')) return readXmlError(trimmed);
  return undefined;
}

function readXmlError(xml: string): FredErrorBody | undefined {
  const tag = /<error\b([^>]*)>/i.exec(xml.slice(0, MAX_ERROR_BODY_CHARS))?.[1];
  if (tag === undefined) return undefined;
  const code = Number(xmlAttribute(tag, 'code'));
  return { code: Number.isInteger(code) ? code : undefined, message: (xmlAttribute(tag, 'message') ?? '(no message)').trim() };
}

function xmlAttribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  const raw = match?.[1] ?? match?.[2];
  return raw === undefined ? undefined : decodeXmlEntities(raw);
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_m, name: string) => XML_ENTITIES[name] ?? '');
}

/** The series a request named, from its (redacted) URL: lets NotFound say which id to fix. */
function seriesOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).searchParams.get('series_id') ?? undefined;
  } catch {
    return undefined;
  }
}
