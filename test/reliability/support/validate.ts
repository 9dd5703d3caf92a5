import { DATASETS, DUCKDB_TYPE, type Columns, type DatasetName } from '../../../src/catalog/index.js';
import { sqlFileList } from '../../../src/lake/index.js';
import type { ProvisionedBackend } from '../../support/backends.js';

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Every committed raw and reference row against its dataset's column spec: each column present
 * with the declared DuckDB type, no null in a required column, no NaN/Infinity in a double.
 * Returns the problems found (empty when the lake is clean).
 */
export async function validateLakeRows(storage: ProvisionedBackend, dataDir: string): Promise<{ problems: string[]; rows: number }> {
  const keys = (await storage.listLake(dataDir, '')).filter((k) => /^(raw|reference)\/.*\.parquet$/.test(k));
  const found = new Map<DatasetName, 'raw' | 'reference'>();
  for (const key of keys) {
    const parts = key.split('/');
    found.set((key.startsWith('raw/') ? parts[2] : parts[1]) as DatasetName, key.startsWith('raw/') ? 'raw' : 'reference');
  }
  const lake = await storage.openLake(dataDir);
  const problems: string[] = [];
  let rows = 0;
  try {
    for (const [dataset, kind] of found) {
      const spec = DATASETS[dataset] as { columns: Columns } | undefined;
      if (!spec) {
        problems.push(`unknown dataset folder ${dataset}`);
        continue;
      }
      // Read through the lake: on S3 the parts are downloaded to its cache first.
      const files = kind === 'raw' ? await lake.rawGlob(dataset) : await lake.referenceFiles(dataset);
      for (const file of files) {
        const described = await lake.query<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet(${sqlFileList([file])})`);
        const types = new Map(described.map((d) => [d.column_name, d.column_type]));
        for (const [name, column] of Object.entries(spec.columns)) {
          const type = types.get(name);
          const expected = DUCKDB_TYPE[column.kind];
          if (type === undefined) problems.push(`${file}: column ${name} missing`);
          else if (!(type === expected || (expected === 'TIMESTAMPTZ' && type.startsWith('TIMESTAMP')))) problems.push(`${file}: ${name} is ${type}, expected ${expected}`);
        }
      }
      const checks = Object.entries(spec.columns).flatMap(([name, column]) => [
        ...(column.nullable ? [] : [`count(*) FILTER (WHERE ${ident(name)} IS NULL)::BIGINT AS ${ident(`null:${name}`)}`]),
        ...(column.kind === 'double' ? [`count(*) FILTER (WHERE NOT isfinite(${ident(name)}))::BIGINT AS ${ident(`nonfinite:${name}`)}`] : []),
      ]);
      const [counts] = await lake.query<Record<string, number>>(`SELECT count(*)::BIGINT AS total, ${checks.join(', ')} FROM read_parquet(${sqlFileList(files)}, union_by_name = true)`);
      rows += Number(counts?.total ?? 0);
      for (const [label, n] of Object.entries(counts ?? {})) if (label !== 'total' && Number(n) > 0) problems.push(`${dataset}: ${n} rows with ${label}`);
    }
  } finally {
    await lake.close();
  }
  return { problems, rows };
}
