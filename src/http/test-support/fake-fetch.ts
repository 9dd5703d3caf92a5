import type { FetchLike } from '../client.js';

/** One request the fake saw: the URL as sent and the headers, lower-cased names. */
export interface SeenRequest {
  url: string;
  headers: Record<string, string>;
}

export type Responder = (url: URL, seen: SeenRequest) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: FetchLike;
  seen: SeenRequest[];
}

/**
 * An injectable fetch: each call is recorded, then answered by `respond` (or by the next entry of
 * a list). Honours the abort signal like the real one, so timeouts and cancellation are testable.
 */
export function fakeFetch(respond: Responder | (Response | (() => Response | Promise<Response>))[]): FakeFetch {
  const seen: SeenRequest[] = [];
  const queue = Array.isArray(respond) ? [...respond] : undefined;
  const fetch: FetchLike = async (input, init) => {
    const request = { url: input.href, headers: lowerCase(init.headers) };
    seen.push(request);
    if (init.signal.aborted) throw init.signal.reason;
    const answer = queue ? next(queue) : respond instanceof Function ? respond(input, request) : undefined;
    return raceAbort(Promise.resolve(answer as Response | Promise<Response>), init.signal);
  };
  return { fetch, seen };
}

function next(queue: (Response | (() => Response | Promise<Response>))[]): Response | Promise<Response> {
  const item = queue.shift();
  if (item === undefined) throw new Error('fakeFetch: no more responses queued');
  return item instanceof Response ? item : item();
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** A JSON response with the given status and headers. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A fetch that never answers (until aborted). */
export function hangingResponse(): Promise<Response> {
  return new Promise<Response>(() => undefined);
}
