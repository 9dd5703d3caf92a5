import { normalizeDataset } from '../catalog/index.js';
import { DATASET_PHRASE, vendorList } from './names.js';
import { type ConfigProblem, ProblemList } from './problems.js';
import type { CuratorFile, CuratorJobFile } from './schemas/curator.js';
import type { CuratorConfig, CuratorJob } from './types.js';

function normalizeJob(problems: ProblemList, name: string, job: CuratorJobFile): CuratorJob | undefined {
  const path = ['jobs', name];
  const input = normalizeDataset(job.input);
  if (input === undefined) problems.add([...path, 'input'], DATASET_PHRASE, job.input);
  const vendor_precedence = vendorList(problems, [...path, 'vendor_precedence'], job.vendor_precedence);
  const corp_actions_precedence =
    job.corp_actions_precedence === undefined ? undefined : vendorList(problems, [...path, 'corp_actions_precedence'], job.corp_actions_precedence);
  if (job.transform === 'adjust_ohlcv') {
    // Adjustment needs daily bars and a rule for which vendor's corporate action wins.
    if (input !== undefined && input !== 'equities_eod') problems.add([...path, 'input'], 'equities_eod (adjust_ohlcv adjusts daily bars)', job.input);
    if (job.corp_actions_precedence === undefined) {
      problems.add([...path, 'corp_actions_precedence'], 'a list of vendors (adjust_ohlcv needs it)', undefined);
    }
  }
  if (input === undefined) return undefined;
  return { ...job, name, input, vendor_precedence, corp_actions_precedence };
}

/** Resolves dataset and vendor aliases of curator.yml; two jobs may not write one table. */
export function normalizeCurator(file: string, parsed: CuratorFile, raw?: unknown): { config: CuratorConfig; problems: ConfigProblem[] } {
  const problems = new ProblemList(file, raw);
  const jobs: Record<string, CuratorJob> = {};
  const writers = new Map<string, string>();
  for (const [name, job] of Object.entries(parsed.jobs)) {
    const writer = writers.get(job.output);
    if (writer !== undefined) problems.add(['jobs', name, 'output'], `a table no other job writes (job ${writer} writes ${job.output})`, job.output);
    writers.set(job.output, writer ?? name);
    const normalized = normalizeJob(problems, name, job);
    if (normalized !== undefined) jobs[name] = normalized;
  }
  return { config: { watermark: parsed.watermark, jobs }, problems: problems.items };
}
