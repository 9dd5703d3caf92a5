import type { EndpointId, VendorId } from '../catalog/index.js';

/**
 * The pacing hook the HttpClient calls around every outbound request (first try, pages and
 * retries). Implemented by the pacing module; http only defines and calls it.
 */
export interface RequestGate {
  /** Called before EVERY outbound request; resolves when a request may be sent.
   *  May throw (e.g. budget exhausted or vendor frozen) — the error propagates to the caller unchanged. */
  acquire(vendor: VendorId, endpoint: EndpointId, signal?: AbortSignal): Promise<void>;
  /** Called after every outbound request with what happened (status or error class, advertised retry timing). */
  settle(vendor: VendorId, endpoint: EndpointId, outcome: RequestOutcome): void;
}

export interface RequestOutcome {
  /** HTTP status when a response arrived. */
  status?: number;
  /** Error class name (`RateLimited`, `Transient`, `Malformed`, …; `AbortError` when the caller cancelled). */
  error?: string;
  retryAfterMs?: number;
  resetAtMs?: number;
  /** `X-RateLimit-Remaining` when the vendor sent it (Alpaca): lets pacing only ever lower its headroom. */
  remaining?: number;
  /** Clock time the attempt ended. */
  atMs: number;
}
