import type { EndpointId, VendorId } from '../catalog/index.js';
import { decodeTime } from 'ulid';
import { LakeError } from './errors.js';
import { assertEndpoint, assertVendor, parseQuarantineKey, quarantineKey } from './layout.js';
import type { ObjectStore } from './object-store.js';

export interface QuarantineEntry {
  vendor: VendorId;
  endpoint: EndpointId;
  reason: string;
  sourceUri: string;
  body: string;
  atMs: number;
}

export interface QuarantineListing {
  path: string;
  vendor: string;
  endpoint: string;
  reason: string;
  atMs: number;
}

/**
 * Credentials a URL may carry in its query string. The http module redacts before anything is
 * stored; this is a second line, because a quarantined payload is exactly the failure path where a
 * raw URL is most likely to slip through.
 */
const SECRET_PARAM = /([?&](?:api[_-]?key|apikey|token|access[_-]?token|key|secret|client[_-]?secret|password)=)[^&#]*/gi;

export function redactUri(uri: string): string {
  return uri.replace(SECRET_PARAM, '$1REDACTED');
}

/** quarantine/<vendor>/<endpoint>/date=<UTC day>/<ulid>.json holding the reason and the payload. */
export async function writeQuarantine(store: ObjectStore, entry: QuarantineEntry, id: string): Promise<string> {
  assertVendor(entry.vendor);
  assertEndpoint(entry.endpoint);
  if (!Number.isFinite(entry.atMs) || entry.atMs < 0) throw new LakeError('quarantine atMs must be epoch milliseconds');
  if (typeof entry.reason !== 'string' || typeof entry.body !== 'string' || typeof entry.sourceUri !== 'string') {
    throw new LakeError('quarantine reason, sourceUri and body must be strings');
  }
  const key = quarantineKey(entry.vendor, entry.endpoint, entry.atMs, id);
  const document = {
    vendor: entry.vendor,
    endpoint: entry.endpoint,
    reason: entry.reason,
    sourceUri: redactUri(entry.sourceUri),
    atMs: entry.atMs,
    body: entry.body,
  };
  if (!(await store.putIfAbsent(key, new TextEncoder().encode(JSON.stringify(document))))) {
    throw new LakeError(`quarantine entry ${key} already exists`);
  }
  return key;
}

export async function listQuarantine(store: ObjectStore): Promise<QuarantineListing[]> {
  const listings: QuarantineListing[] = [];
  for (const key of await store.list('quarantine/')) {
    const parsed = parseQuarantineKey(key);
    if (!parsed) continue;
    const bytes = await store.get(key);
    if (!bytes) continue;
    listings.push({ path: key, vendor: parsed.vendor, endpoint: parsed.endpoint, ...readSummary(bytes, parsed.ulid) });
  }
  return listings.sort((a, b) => a.atMs - b.atMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The reason and instant of an entry; an unreadable file is still listed, with that as its reason. */
function readSummary(bytes: Uint8Array, id: string): { reason: string; atMs: number } {
  try {
    const document: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof document === 'object' && document !== null) {
      const { reason, atMs } = document as { reason?: unknown; atMs?: unknown };
      if (typeof reason === 'string' && typeof atMs === 'number') return { reason, atMs };
    }
  } catch {
    // fall through: listed as unreadable
  }
  return { reason: 'unreadable quarantine entry', atMs: decodeTime(id) };
}
