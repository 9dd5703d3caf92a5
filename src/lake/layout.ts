import {
  DATASETS,
  isDatasetName,
  isEndpointId,
  isVendorId,
  type DatasetKind,
  type DatasetName,
  type EndpointId,
  type VendorId,
} from '../catalog/index.js';
import { LakeError, LakePathError } from './errors.js';

/**
 * Object keys of the lake (DESIGN.md "Storage layout"). Every dynamic segment is either strictly
 * validated here (vendor id, dataset name, endpoint id, `YYYY-MM-DD`) or encoded with
 * `encodePathSegment`, so no value can escape the root. Keys use `/` whatever the platform.
 */

const ULID_PATTERN = '[0-9A-HJKMNP-TV-Z]{26}';
const PART_NAME = new RegExp(`^part-(${ULID_PATTERN})-([0-9a-f]{16})\\.parquet$`);
const DATE_DIR = /^date=(\d{4}-\d{2}-\d{2})$/;
const VENDOR_DIR = /^vendor=([a-z]+)$/;

/** Top-level folders that `writeTable` may replace files in (raw/ and reference/ are append-only). */
export const TABLE_ROOTS = ['curated', 'qc', 'manifests'] as const;

export function assertVendor(vendor: string): asserts vendor is VendorId {
  if (!isVendorId(vendor)) throw new LakeError(`unknown vendor id "${String(vendor).slice(0, 40)}"`);
}

export function assertEndpoint(endpoint: string): asserts endpoint is EndpointId {
  if (!isEndpointId(endpoint)) throw new LakeError(`unknown endpoint id "${String(endpoint).slice(0, 60)}"`);
}

export function assertDataset(dataset: string, kind: DatasetKind): asserts dataset is DatasetName {
  if (!isDatasetName(dataset)) throw new LakeError(`unknown dataset "${String(dataset).slice(0, 40)}"`);
  const actual = DATASETS[dataset].kind;
  if (actual !== kind) throw new LakeError(`dataset ${dataset} is ${actual}, not ${kind}`);
}

/** True for a real calendar date written `YYYY-MM-DD` (years 1900–2999). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  if (year < 1900 || year > 2999) return false;
  const ms = Date.UTC(year, Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10)));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

export function assertDate(value: string, what = 'date'): void {
  if (!isIsoDate(value)) throw new LakeError(`${what} must be a calendar date YYYY-MM-DD, got "${String(value).slice(0, 40)}"`);
}

export function rawDatasetPrefix(vendor: VendorId, dataset: DatasetName): string {
  return `raw/${vendor}/${dataset}/`;
}

export function rawPartitionPrefix(vendor: VendorId, dataset: DatasetName, date: string): string {
  return `${rawDatasetPrefix(vendor, dataset)}date=${date}/`;
}

export function referencePrefix(dataset: DatasetName, vendor: VendorId): string {
  return `reference/${dataset}/vendor=${vendor}/`;
}

export function partName(ulid: string, hash: string): string {
  return `part-${ulid}-${hash.slice(0, 16)}.parquet`;
}

/**
 * A merged part's tombstone, `<part key>.merged-<ULID of the part now holding its rows>`: an empty
 * object written once compaction has committed the merged part. Listings drop a part that has one
 * at once; the part itself is removed later (see `Lake.compactRaw`), so a reader that listed it a
 * moment before still finds it.
 */
const MERGED = '.merged-';

export function mergedMarkerKey(partKey: string, mergedIntoUlid: string): string {
  return `${partKey}${MERGED}${mergedIntoUlid}`;
}

/** Tombstones among `keys`: the part each names, and the ULID of the part that holds its rows. */
export function mergedMarkers(keys: readonly string[]): { key: string; partKey: string; mergedInto: string }[] {
  return keys.flatMap((key) => {
    const at = key.lastIndexOf(MERGED);
    return at === -1 ? [] : [{ key, partKey: key.slice(0, at), mergedInto: key.slice(at + MERGED.length) }];
  });
}

/** `keys` without tombstones and without the parts they name: what readers and writers see. */
export function withoutMerged(keys: readonly string[]): string[] {
  const markers = mergedMarkers(keys);
  if (markers.length === 0) return [...keys];
  const gone = new Set(markers.flatMap((m) => [m.key, m.partKey]));
  return keys.filter((key) => !gone.has(key));
}

export interface PartRef {
  /** Full object key. */
  readonly key: string;
  readonly ulid: string;
  readonly hash16: string;
}

/** The committed part files directly under `prefix` (never temp files), oldest first. */
export function partsUnder(prefix: string, keys: readonly string[]): PartRef[] {
  const parts: PartRef[] = [];
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const match = PART_NAME.exec(key.slice(prefix.length));
    if (match) parts.push({ key, ulid: match[1] as string, hash16: match[2] as string });
  }
  return parts.sort((a, b) => (a.ulid < b.ulid ? -1 : a.ulid > b.ulid ? 1 : 0));
}

export interface RawPartRef extends PartRef {
  readonly vendor: VendorId;
  readonly dataset: DatasetName;
  readonly date: string;
}

/** Parses `raw/<vendor>/<dataset>/date=YYYY-MM-DD/part-<ulid>-<hash16>.parquet`; undefined otherwise. */
export function parseRawPartKey(key: string): RawPartRef | undefined {
  const segments = key.split('/');
  if (segments.length !== 5 || segments[0] !== 'raw') return undefined;
  const [, vendor, dataset, dateDir, file] = segments as [string, string, string, string, string];
  const date = DATE_DIR.exec(dateDir)?.[1];
  const part = PART_NAME.exec(file);
  if (!isVendorId(vendor) || !isDatasetName(dataset) || date === undefined || !isIsoDate(date) || !part) {
    return undefined;
  }
  return { key, vendor, dataset, date, ulid: part[1] as string, hash16: part[2] as string };
}

export interface ReferencePartRef extends PartRef {
  readonly vendor: VendorId;
}

/** Parses `reference/<dataset>/vendor=<vendor>/part-….parquet` for one dataset; undefined otherwise. */
export function parseReferencePartKey(dataset: DatasetName, key: string): ReferencePartRef | undefined {
  const segments = key.split('/');
  if (segments.length !== 4 || segments[0] !== 'reference' || segments[1] !== dataset) return undefined;
  const vendor = VENDOR_DIR.exec(segments[2] as string)?.[1];
  const part = PART_NAME.exec(segments[3] as string);
  if (vendor === undefined || !isVendorId(vendor) || !part) return undefined;
  return { key, vendor, ulid: part[1] as string, hash16: part[2] as string };
}

/** A segment a caller may put in a table path: plain, or produced by `encodePathSegment`. */
const TABLE_SEGMENT = /^[A-Za-z0-9_=~-][A-Za-z0-9_.=~-]*$/;

/**
 * Validates a `writeTable`/`readTable` path: `/`-separated plain segments under curated/, qc/ or
 * manifests/, ending in `.parquet`. Callers with dynamic values encode them first.
 */
export function assertTablePath(relativePath: string): string {
  const segments = typeof relativePath === 'string' ? relativePath.split('/') : [];
  const shown = String(relativePath).slice(0, 80);
  if (segments.length < 2 || segments.length > 12) {
    throw new LakePathError(`table path "${shown}" must be <root>/…/<name>.parquet`);
  }
  if (!(TABLE_ROOTS as readonly string[]).includes(segments[0] as string)) {
    throw new LakePathError(`table path "${shown}" must start with one of ${TABLE_ROOTS.join(', ')}`);
  }
  for (const segment of segments) {
    if (segment.length > 200 || !TABLE_SEGMENT.test(segment)) {
      throw new LakePathError(`table path "${shown}" has an unsafe segment "${segment.slice(0, 40)}"`);
    }
  }
  if (!relativePath.endsWith('.parquet')) throw new LakePathError(`table path "${shown}" must end in .parquet`);
  return relativePath;
}

export function quarantineKey(vendor: VendorId, endpoint: EndpointId, atMs: number, ulid: string): string {
  const day = new Date(atMs).toISOString().slice(0, 10);
  return `quarantine/${vendor}/${endpoint}/date=${day}/${ulid}.json`;
}

const QUARANTINE_KEY = new RegExp(`^quarantine/([a-z]+)/([a-z_.]+)/date=\\d{4}-\\d{2}-\\d{2}/(${ULID_PATTERN})\\.json$`);

export function parseQuarantineKey(key: string): { vendor: string; endpoint: string; ulid: string } | undefined {
  const match = QUARANTINE_KEY.exec(key);
  if (!match) return undefined;
  return { vendor: match[1] as string, endpoint: match[2] as string, ulid: match[3] as string };
}
