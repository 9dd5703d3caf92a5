import {
  DATASET_ALIASES,
  DATASET_NAMES,
  type DatasetName,
  normalizeDataset,
  normalizeVendor,
  VENDOR_ALIAS_NAMES,
  VENDORS,
  type VendorId,
} from '../catalog/index.js';
import type { KeyPath, ProblemList } from './problems.js';

const VENDOR_ALIASES_ONLY = VENDOR_ALIAS_NAMES.filter((n) => !(VENDORS as readonly string[]).includes(n));

export const VENDOR_PHRASE = `a vendor (${VENDORS.join(', ')}; aliases ${VENDOR_ALIASES_ONLY.join(', ')})`;
export const DATASET_PHRASE = `a dataset (${DATASET_NAMES.join(', ')}; aliases ${Object.keys(DATASET_ALIASES).join(', ')})`;

/** Dataset aliases that also name a vendor: `equities_eod_fn` is equities_eod *from finnhub* (DESIGN.md "Names"). */
export const DATASET_ALIAS_VENDOR: Readonly<Record<string, VendorId>> = { equities_eod_fn: 'finnhub' };

export interface NormalizedEntry<V> {
  /** The spelling the file used. */
  readonly key: string;
  readonly value: V;
}

/**
 * Maps a record's keys through `normalize`, reporting unknown keys and a key given twice under two
 * spellings (an alias next to its canonical name: the original lost Alpha Vantage that way).
 */
export function normalizeKeys<K extends string, V>(
  problems: ProblemList,
  path: KeyPath,
  record: Readonly<Record<string, V>>,
  normalize: (key: string) => K | undefined,
  expected: string,
): Map<K, NormalizedEntry<V>> {
  const out = new Map<K, NormalizedEntry<V>>();
  for (const [key, value] of Object.entries(record)) {
    const id = normalize(key);
    if (id === undefined) {
      problems.add([...path, key], expected, value);
      continue;
    }
    const earlier = out.get(id);
    if (earlier !== undefined) {
      problems.add([...path, key], `only one of "${earlier.key}", "${key}" (both name ${id})`, value);
      continue;
    }
    out.set(id, { key, value });
  }
  return out;
}

export function vendorKeys<V>(problems: ProblemList, path: KeyPath, record: Readonly<Record<string, V>>) {
  return normalizeKeys(problems, path, record, normalizeVendor, VENDOR_PHRASE);
}

export function datasetKeys<V>(problems: ProblemList, path: KeyPath, record: Readonly<Record<string, V>>) {
  return normalizeKeys<DatasetName, V>(problems, path, record, normalizeDataset, DATASET_PHRASE);
}

/** Normalises a list of vendor names; each must be known and appear once. */
export function vendorList(problems: ProblemList, path: KeyPath, names: readonly string[]): VendorId[] {
  const out: VendorId[] = [];
  names.forEach((name, index) => {
    const id = normalizeVendor(name);
    if (id === undefined) problems.add([...path, index], VENDOR_PHRASE, name);
    else if (out.includes(id)) problems.add([...path, index], `each vendor once (${id} is already listed)`, name);
    else out.push(id);
  });
  return out;
}
