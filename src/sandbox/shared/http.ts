/** A request as an emulator sees it: already parsed, independent of node:http. */
export interface EmulatorRequest {
  method: string;
  /** URL path, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
}

export interface EmulatorResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface Emulator {
  handle(request: EmulatorRequest): EmulatorResponse;
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

/** Query parameters whose values are secrets; replaced before anything is logged. */
const SECRET_PARAMS = new Set(['apikey', 'api_key', 'token']);

/** The path with its query, secret values replaced by `REDACTED`. */
export function redactedPathOf(path: string, query: URLSearchParams): string {
  const redacted = new URLSearchParams();
  for (const [key, value] of query) redacted.append(key, SECRET_PARAMS.has(key.toLowerCase()) ? 'REDACTED' : value);
  const text = redacted.toString();
  return text.length > 0 ? `${path}?${text}` : path;
}
