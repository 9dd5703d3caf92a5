import type { z } from 'zod';
import type { EndpointId, VendorId } from '../catalog/index.js';
import { abortReason, type Clock } from '../clock/index.js';
import { fullJitterDelay, type RandomSource } from './backoff.js';
import { classifyByStatus, type Classifier } from './classify.js';
import { Malformed, RateLimited, Transient, VendorError, isRetryable } from './errors.js';
import type { RequestGate, RequestOutcome } from './gate.js';
import { redactText, redactUrl } from './redact.js';
import { parseRemaining } from './retry-timing.js';
import { describeIssues, sanitizeCause } from './sanitize.js';

export type FetchLike = (input: URL, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<Response>;

export interface HttpClientOptions {
  vendor: VendorId;
  clock: Clock;
  /** Every credential this client sends; masked wherever a URL, body or error leaves the client. */
  secrets: readonly string[];
  gate?: RequestGate | undefined;
  /** @default globalThis.fetch */
  fetch?: FetchLike | undefined;
  /** Per attempt, on the injected clock. @default 30000 */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt (Transient and RateLimited only). @default 4 */
  maxRetries?: number | undefined;
  classify: Classifier;
  userAgent?: string | undefined;
  /** Jitter source for Transient backoff. @default Math.random */
  random?: RandomSource | undefined;
  /** Backoff ceiling for the first retry, doubling after. @default 1000 */
  backoffBaseMs?: number | undefined;
  /** @default 30000 */
  backoffCapMs?: number | undefined;
  /** Wait after a 429 that names no time; doubles for each further 429 of the same request. @default 60000 */
  rateLimitDefaultMs?: number | undefined;
  /** A 429 asking for longer than this is not waited out here: it is thrown for the scheduler to freeze the vendor. @default 300000 */
  maxRetryAfterMs?: number | undefined;
  /** A response body larger than this is not buffered: the read stops and the answer is Malformed. @default 67108864 (64 MiB) */
  maxBodyBytes?: number | undefined;
}

/** Large enough for the biggest legitimate free-tier answer (Alpaca's assets list, a few MB) many times over. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface HttpRequestInit<T = unknown> {
  endpoint: EndpointId;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides the client's timeout (e.g. Alpaca's multi-MB assets list). */
  timeoutMs?: number | undefined;
  /** getJson: validate the body; a mismatch is Malformed (schema drift) and nothing is returned. */
  schema?: z.ZodType<T> | undefined;
}

/** Everything but the schema: what the transport needs. */
export type RequestBasics = Omit<HttpRequestInit, 'schema'>;

export interface HttpResult<T> {
  body: T;
  status: number;
  headers: Headers;
  redactedUrl: string;
  /** The response body with secrets masked: what a caller quarantines when it rejects the payload. */
  redactedText: string;
}

interface Received {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One fetch wrapper for every vendor: the gate before each attempt, a timeout on the injected
 * clock, vendor classification of status and body, retries of Transient (full-jitter backoff) and
 * RateLimited (the advertised wait), and redaction of everything it exposes.
 */
export class HttpClient {
  readonly vendor: VendorId;
  private readonly options: HttpClientOptions;
  private readonly fetchImpl: FetchLike;

  constructor(options: HttpClientOptions) {
    this.vendor = options.vendor;
    this.options = options;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async getJson<T = unknown>(url: URL, init: HttpRequestInit<T>): Promise<HttpResult<T>> {
    // Only JSON: Polygon answers CSV to an Accept that merely mentions text/csv (Starter+ plans).
    const basics = { ...init, headers: { Accept: 'application/json', ...init.headers } };
    return this.request(url, basics, (received, redactedUrl) => this.parseJson(received, init, redactedUrl));
  }

  async getText(url: URL, init: RequestBasics): Promise<HttpResult<string>> {
    const basics = { ...init, headers: { Accept: 'text/csv, text/plain;q=0.9, */*;q=0.5', ...init.headers } };
    return this.request(url, basics, (received) => redactText(received.text, this.options.secrets));
  }

  redactUrl(url: string | URL): string {
    return redactUrl(url, this.options.secrets);
  }

  private async request<T>(url: URL, init: RequestBasics, decode: (r: Received, redactedUrl: string) => T): Promise<HttpResult<T>> {
    const { clock, gate, vendor } = this.options;
    const redactedUrl = this.redactUrl(url);
    const maxRetries = this.options.maxRetries ?? 4;
    let rateLimitedRetries = 0;
    for (let attempt = 0; ; attempt += 1) {
      await gate?.acquire(vendor, init.endpoint, init.signal);
      const outcome = await this.attempt(url, init, redactedUrl, decode);
      gate?.settle(vendor, init.endpoint, outcome.report);
      if (outcome.ok) return outcome.ok;
      const error = outcome.error;
      if (!(error instanceof VendorError) || !isRetryable(error) || attempt >= maxRetries) throw error;
      const wait = this.retryDelay(error, attempt, rateLimitedRetries);
      if (wait === undefined) throw error;
      if (error instanceof RateLimited) rateLimitedRetries += 1;
      await clock.sleep(wait, init.signal);
    }
  }

  private async attempt<T>(
    url: URL,
    init: RequestBasics,
    redactedUrl: string,
    decode: (r: Received, redactedUrl: string) => T,
  ): Promise<{ ok?: HttpResult<T>; error?: unknown; report: RequestOutcome }> {
    const { clock } = this.options;
    let received: Received;
    try {
      received = await this.send(url, init);
    } catch (thrown) {
      if (init.signal?.aborted) return { error: abortReason(init.signal), report: { error: 'AbortError', atMs: clock.now() } };
      if (thrown instanceof BodyTooLarge) {
        const error = new Malformed(thrown.message, { vendor: this.vendor, endpoint: init.endpoint, status: thrown.status, url: redactedUrl, rawText: '' });
        return { error, report: { status: thrown.status, atMs: clock.now(), error: error.name } };
      }
      const error = this.networkError(thrown, init, redactedUrl);
      return { error, report: { error: error.name, atMs: clock.now() } };
    }
    const base = { status: received.status, atMs: clock.now(), remaining: parseRemaining(received.headers) };
    const redactedBody = redactText(received.text, this.options.secrets);
    const ctx = { endpoint: init.endpoint, url: redactedUrl, nowMs: base.atMs };
    const classified =
      this.options.classify(received.status, redactedBody, received.headers, ctx) ??
      classifyByStatus(this.vendor, received.status, redactedBody, received.headers, ctx);
    if (classified) return { error: classified, report: { ...base, ...timingOf(classified), error: classified.name } };
    try {
      const body = decode(received, redactedUrl);
      return { ok: { body, status: received.status, headers: received.headers, redactedUrl, redactedText: redactedBody }, report: base };
    } catch (error) {
      return { error, report: { ...base, error: error instanceof Error ? error.name : 'Error' } };
    }
  }

  /** One HTTP exchange, body included, raced against the timeout on the injected clock. */
  private async send(url: URL, init: RequestBasics): Promise<Received> {
    const { clock } = this.options;
    const timeoutMs = init.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    const abort = new AbortController();
    const stopTimer = new AbortController();
    const onCallerAbort = (): void => abort.abort(init.signal?.reason);
    init.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (init.signal?.aborted) onCallerAbort();
    const exchange = clock.busy(this.exchange(url, init, abort.signal));
    // Settles only if the timer fires. It must be this call's own promise: a race against one
    // shared never-settling promise leaves a reaction on it per call, and each reaction keeps that
    // call's response body alive for the life of the process (every page of a backfill).
    const timedOut = new Promise<typeof TIMEOUT>((resolve) => {
      clock.sleep(timeoutMs, stopTimer.signal).then(
        () => resolve(TIMEOUT),
        () => undefined,
      );
    });
    try {
      const winner = await Promise.race([exchange, timedOut]);
      if (winner === TIMEOUT) {
        abort.abort(new TimeoutSignal(timeoutMs));
        exchange.catch(() => undefined);
        throw new TimeoutSignal(timeoutMs);
      }
      return winner;
    } finally {
      stopTimer.abort();
      init.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private async exchange(url: URL, init: RequestBasics, signal: AbortSignal): Promise<Received> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
    const response = await this.fetchImpl(url, { headers, signal });
    const text = await readBounded(response, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    return { status: response.status, headers: response.headers, text };
  }

  private networkError(thrown: unknown, init: RequestBasics, redactedUrl: string): Transient {
    const { secrets } = this.options;
    const detail = thrown instanceof TimeoutSignal ? thrown.message : `network error: ${redactText(errorText(thrown), secrets)}`;
    return new Transient(detail, { vendor: this.vendor, endpoint: init.endpoint, url: redactedUrl, cause: sanitizeCause(thrown, secrets) });
  }

  private parseJson<T>(received: Received, init: HttpRequestInit<T>, redactedUrl: string): T {
    const { secrets } = this.options;
    const malformed = (reason: string): Malformed =>
      new Malformed(reason, { vendor: this.vendor, endpoint: init.endpoint, status: received.status, url: redactedUrl, rawText: redactText(received.text, secrets) });
    if (received.text.trim() === '') throw malformed('empty body');
    let body: unknown;
    try {
      body = JSON.parse(received.text);
    } catch (error) {
      throw malformed(`invalid JSON (${redactText(errorText(error), secrets)})`);
    }
    if (!init.schema) return body as T;
    const parsed = init.schema.safeParse(body);
    if (!parsed.success) throw malformed(`schema mismatch: ${redactText(describeIssues(parsed.error.issues), secrets)}`);
    return parsed.data;
  }

  /** undefined = do not retry here (the vendor asked for longer than we are willing to block). */
  private retryDelay(error: VendorError, attempt: number, rateLimitedRetries: number): number | undefined {
    const o = this.options;
    if (error instanceof RateLimited) {
      const advertised = error.retryAfterMs ?? (error.resetAtMs === undefined ? undefined : Math.max(0, error.resetAtMs - o.clock.now()));
      const wait = advertised ?? (o.rateLimitDefaultMs ?? 60_000) * 2 ** rateLimitedRetries;
      return wait > (o.maxRetryAfterMs ?? 300_000) ? undefined : wait;
    }
    const jitter = fullJitterDelay(attempt, o.backoffBaseMs ?? 1_000, o.backoffCapMs ?? 30_000, o.random ?? Math.random);
    return Math.max(jitter, error instanceof Transient ? (error.retryAfterMs ?? 0) : 0);
  }
}

/** The body is larger than the client buffers; carries the status so the error can say what came back. */
class BodyTooLarge extends Error {
  constructor(
    readonly status: number,
    limit: number,
  ) {
    super(`response body larger than ${limit} bytes; not read`);
    this.name = 'BodyTooLarge';
  }
}

/** Reads the body as UTF-8 text, refusing (and cancelling the stream) past `limit` bytes. */
async function readBounded(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(response.status, limit);
  }
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge(response.status, limit);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

const TIMEOUT = Symbol('timeout');

/** Internal marker for "our timer fired first"; converted to Transient before anyone sees it. */
class TimeoutSignal extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function timingOf(error: VendorError): { retryAfterMs?: number; resetAtMs?: number } {
  if (!(error instanceof RateLimited)) return {};
  const timing: { retryAfterMs?: number; resetAtMs?: number } = {};
  if (error.retryAfterMs !== undefined) timing.retryAfterMs = error.retryAfterMs;
  if (error.resetAtMs !== undefined) timing.resetAtMs = error.resetAtMs;
  return timing;
}
