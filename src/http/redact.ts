/**
 * Secret redaction for everything that leaves a request: URLs stored as lineage, error messages,
 * body excerpts, causes. Pure functions; they fail closed (when a secret might survive in an
 * encoded form we cannot enumerate, the whole query is masked rather than risk it).
 */

export const MASK = '***';

/** Query parameters that carry keys at the vendors we talk to (Polygon, AV/FMP, FRED, Finnhub). */
const SECRET_PARAMS = new Set(['apikey', 'api_key', 'token', 'key', 'access_token']);

/** Masks secret query values and any secret substring of a URL. Unparseable input is redacted as text. */
export function redactUrl(url: string | URL, secrets: readonly string[]): string {
  const text = typeof url === 'string' ? url : url.href;
  const queryStart = text.indexOf('?');
  if (queryStart === -1) return redactText(text, secrets);
  const hashStart = text.indexOf('#', queryStart);
  const end = hashStart === -1 ? text.length : hashStart;
  const query = maskSecretParams(text.slice(queryStart + 1, end));
  const masked = `${text.slice(0, queryStart + 1)}${query}${text.slice(end)}`;
  return redactText(masked, secrets);
}

/** Masks every secret (raw, URL-encoded and form-encoded) and every `apiKey=…`-style pair in free text. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = maskParamPairsInText(text);
  for (const variant of secretVariants(secrets)) out = out.split(variant).join(MASK);
  if (survivesDecoding(out, secrets)) out = maskAllQueries(out);
  return out;
}

function maskSecretParams(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      return SECRET_PARAMS.has(safeDecode(pair.slice(0, eq)).toLowerCase()) ? `${pair.slice(0, eq)}=${MASK}` : pair;
    })
    .join('&');
}

/** `apiKey=…` inside prose (an exception message quoting a URL): mask up to the next delimiter. */
const PARAM_PAIR_RE = /([?&;\s"'(]|^)(api[_-]?key|token|key|access[_-]?token)(=|%3D)([^&#\s"'<>)]*)/gi;

function maskParamPairsInText(text: string): string {
  return text.replace(PARAM_PAIR_RE, (_match, lead: string, name: string, eq: string) => `${lead}${name}${eq}${MASK}`);
}

/** Longest first, so a secret that contains another is masked whole. */
function secretVariants(secrets: readonly string[]): string[] {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const encoded = encodeURIComponent(secret);
    variants.add(secret);
    variants.add(encoded);
    variants.add(encoded.replace(/%20/g, '+'));
    variants.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    variants.add(encodeURI(secret));
  }
  return [...variants].sort((a, b) => b.length - a.length);
}

/** True when decoding the text once more would reveal a secret (an encoding we did not enumerate). */
function survivesDecoding(text: string, secrets: readonly string[]): boolean {
  const forms = [text, decodeLoose(text), decodeLoose(text.replace(/\+/g, ' '))];
  return secrets.some((secret) => secret.length > 0 && forms.some((form) => form.includes(secret)));
}

function maskAllQueries(text: string): string {
  return text.replace(/\?[^\s#"'<>]*/g, `?${MASK}`).replace(/%[0-9A-Fa-f]{2}/g, MASK);
}

/** Decodes each run of %XX escapes on its own, so one stray `%` elsewhere does not stop the rest. */
function decodeLoose(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => safeDecode(run));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Header names that carry credentials at our vendors (Polygon bearer, Alpaca key pair, FMP/AV-style keys). */
const SECRET_HEADER_RE = /^(authorization|proxy-authorization|cookie|apca-api-key-id|apca-api-secret-key|x-api-key|x-finnhub-token)$/i;

/** A loggable copy of request headers: credential headers masked, every other value secret-scrubbed. */
export function redactHeaders(headers: Headers | Record<string, string>, secrets: readonly string[]): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  return Object.fromEntries(entries.map(([name, value]) => [name, SECRET_HEADER_RE.test(name) ? MASK : redactText(value, secrets)]));
}
