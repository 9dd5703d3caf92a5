/** Query values; `undefined` drops the parameter. */
export type QueryParams = Record<string, string | number | boolean | undefined>;

/**
 * `base` + `path` + query, keeping a base path prefix (a proxy or emulator mounted under a path)
 * and leaving commas literal in values (`symbols=AAPL,MSFT` stays readable in lineage URIs).
 */
export function buildUrl(base: string, path: string, params: QueryParams = {}): URL {
  const url = new URL(base);
  url.pathname = `${trimSlash(url.pathname)}${path.startsWith('/') ? path : `/${path}`}`;
  url.search = encodeQuery(params);
  url.hash = '';
  return url;
}

export function encodeQuery(params: QueryParams): string {
  return Object.entries(params)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value)).replace(/%2C/g, ',')}`)
    .join('&');
}

/**
 * Re-bases a pagination link (absolute or relative) onto the configured host: keeps its path and
 * query, drops its origin. A vendor may answer with another host name (api.polygon.io vs
 * api.massive.com) and a loopback emulator must keep receiving the follow-up pages.
 */
export function rebaseUrl(link: string, base: string): URL {
  const baseUrl = new URL(base);
  const linkUrl = new URL(link, baseUrl);
  const prefix = trimSlash(baseUrl.pathname);
  const path = prefix !== '' && !linkUrl.pathname.startsWith(`${prefix}/`) ? `${prefix}${linkUrl.pathname}` : linkUrl.pathname;
  const url = new URL(baseUrl.origin);
  url.pathname = path;
  url.search = linkUrl.search;
  return url;
}

function trimSlash(pathname: string): string {
  return pathname.replace(/\/+$/, '');
}
