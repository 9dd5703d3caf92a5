import { type DatasetName, normalizeDataset } from '../catalog/index.js';
import { DATASET_ALIAS_VENDOR, DATASET_PHRASE, datasetKeys, vendorList } from './names.js';
import { normalizeBudgets } from './normalize-edge.js';
import { type ConfigProblem, ProblemList } from './problems.js';
import type { BackfillFile, BackfillTargetFile } from './schemas/backfill.js';
import type { BackfillConfig, BackfillTarget, EdgeConfig, EndpointsConfig } from './types.js';

function normalizePriorities(problems: ProblemList, priorities: BackfillFile['priorities']): Partial<Record<DatasetName, number>> {
  if (!Array.isArray(priorities)) {
    const out: Partial<Record<DatasetName, number>> = {};
    for (const [dataset, entry] of datasetKeys(problems, ['priorities'], priorities)) out[dataset] = entry.value;
    return out;
  }
  const out: Partial<Record<DatasetName, number>> = {};
  const spelled = new Map<DatasetName, string>();
  priorities.forEach(({ table, weight }, index) => {
    const dataset = normalizeDataset(table);
    const path = ['priorities', index, 'table'];
    const earlier = dataset === undefined ? undefined : spelled.get(dataset);
    if (dataset === undefined) problems.add(path, DATASET_PHRASE, table);
    else if (earlier !== undefined) problems.add(path, `each dataset once ("${earlier}" already names ${dataset})`, table);
    else {
      spelled.set(dataset, table);
      out[dataset] = weight;
    }
  });
  return out;
}

function servers(endpoints: EndpointsConfig, dataset: DatasetName): string[] {
  return [...new Set(endpoints.capabilities.filter((c) => c.dataset === dataset).map((c) => c.vendor))];
}

function normalizeTarget(
  problems: ProblemList,
  key: string,
  dataset: DatasetName,
  target: BackfillTargetFile,
  endpoints: EndpointsConfig | undefined,
): BackfillTarget {
  const path = ['targets', key];
  const serving = endpoints === undefined ? undefined : servers(endpoints, dataset);
  if (serving !== undefined && serving.length === 0) problems.add(path, `a dataset some vendor serves in endpoints.yml (${dataset} has none)`, target);
  const { vendors: written, ...rest } = target;
  const aliasVendor = DATASET_ALIAS_VENDOR[key];
  const vendors = written === undefined ? (aliasVendor === undefined ? undefined : [aliasVendor]) : vendorList(problems, [...path, 'vendors'], written);
  if (written !== undefined && vendors !== undefined && serving !== undefined && serving.length > 0) {
    vendors.forEach((vendor, index) => {
      if (!serving.includes(vendor)) problems.add([...path, 'vendors', index], `a vendor serving ${dataset} in endpoints.yml (${serving.join(', ')})`, written[index]);
    });
  }
  return { ...rest, dataset, vendors };
}

/** Resolves dataset and vendor aliases of backfill.yml and checks its budgets against edge.yml and endpoints.yml. */
export function normalizeBackfill(
  file: string,
  parsed: BackfillFile,
  endpoints: EndpointsConfig | undefined,
  edge: EdgeConfig | undefined,
  raw?: unknown,
): { config: BackfillConfig; problems: ConfigProblem[] } {
  const problems = new ProblemList(file, raw);
  const within = edge === undefined ? undefined : { budgets: edge.policy.daily_api_budget, label: 'edge.yml policy.daily_api_budget' };
  const budgets = normalizeBudgets(problems, ['policy', 'daily_api_budget'], parsed.policy.daily_api_budget, endpoints, within);
  const targets: Partial<Record<DatasetName, BackfillTarget>> = {};
  for (const [dataset, entry] of datasetKeys(problems, ['targets'], parsed.targets)) {
    targets[dataset] = normalizeTarget(problems, entry.key, dataset, entry.value, endpoints);
  }
  const config: BackfillConfig = {
    policy: { daily_api_budget: budgets },
    priorities: normalizePriorities(problems, parsed.priorities),
    targets,
    qc_thresholds: parsed.qc_thresholds,
  };
  return { config, problems: problems.items };
}
