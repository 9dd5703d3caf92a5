import { createHash } from 'node:crypto';
import { AUDIT_MANIFEST_COLUMNS, auditManifestPath, type DatasetName } from '../../catalog/index.js';
import type { Lake } from '../../lake/index.js';
import type { RawFile } from './sql.js';

interface ManifestRow {
  dataset: string;
  date: string;
  files: string;
  inputs: string;
}

/** What the last audit of a dataset saw: part names per partition date and its inputs' fingerprint. */
export interface AuditManifest {
  inputs: string | undefined;
  files: Map<string, string>;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

export function partNames(files: readonly RawFile[] | undefined): string {
  return (files ?? []).map((f) => f.name).join('\n');
}

export async function readManifest(lake: Lake, dataset: DatasetName): Promise<AuditManifest> {
  const rows = await lake.readTable<ManifestRow>(auditManifestPath(dataset));
  return { inputs: rows[0]?.inputs, files: new Map(rows.map((r) => [r.date, r.files])) };
}

export async function writeManifest(lake: Lake, dataset: DatasetName, inputs: string, files: ReadonlyMap<string, string>): Promise<void> {
  const rows = [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, names]) => ({ dataset, date, files: names, inputs }));
  // An empty manifest still records the inputs, on a marker row no partition can have.
  const body = rows.length > 0 ? rows : [{ dataset, date: '1900-01-01', files: '', inputs }];
  await lake.writeTable(auditManifestPath(dataset), AUDIT_MANIFEST_COLUMNS, body);
}

/** Partition dates whose part names differ from the manifest's (new, grown or vanished). */
export function changedDates(manifest: AuditManifest, current: ReadonlyMap<string, readonly RawFile[]>): Set<string> {
  const changed = new Set<string>();
  for (const [date, files] of current) if (manifest.files.get(date) !== partNames(files)) changed.add(date);
  for (const [date, names] of manifest.files) if (names !== '' && !current.has(date)) changed.add(date);
  return changed;
}
