import path from 'node:path';
import { normalizeBackfill } from './normalize-backfill.js';
import { normalizeCurator } from './normalize-curator.js';
import { normalizeEdge } from './normalize-edge.js';
import { normalizeEndpoints } from './normalize-endpoints.js';
import { ConfigError, type ConfigProblem, redactProblem } from './problems.js';
import { type ConfigFile, type Outcome, readConfigFile } from './read-yaml.js';
import { backfillFileSchema } from './schemas/backfill.js';
import { curatorFileSchema } from './schemas/curator.js';
import { edgeFileSchema } from './schemas/edge.js';
import { endpointsFileSchema } from './schemas/endpoints.js';
import type { TrademlConfig } from './types.js';

/** The four files of a config directory. */
export const CONFIG_FILES = {
  endpoints: 'endpoints.yml',
  edge: 'edge.yml',
  backfill: 'backfill.yml',
  curator: 'curator.yml',
} as const;

function valueOf<T>(outcome: Outcome<ConfigFile<T>>, problems: ConfigProblem[]): ConfigFile<T> | undefined {
  if (outcome.ok) return outcome.value;
  problems.push(...outcome.problems);
  return undefined;
}

/** Runs a normaliser when its file parsed, collecting its problems. */
function normalized<F, C>(
  parsed: ConfigFile<F> | undefined,
  problems: ConfigProblem[],
  run: (file: F, raw: unknown) => { config: C; problems: ConfigProblem[] },
): C | undefined {
  if (parsed === undefined) return undefined;
  const result = run(parsed.value, parsed.raw);
  problems.push(...result.problems);
  return result.config;
}

/**
 * Reads, validates and normalises `endpoints.yml`, `edge.yml`, `backfill.yml` and `curator.yml` of
 * `configDir`. Every alias is resolved (the result names vendors and datasets by canonical id only)
 * and the files are cross-checked. Throws one ConfigError listing every problem of every file;
 * `options.secrets` are redacted from it in case a key was pasted into a file.
 */
export async function loadConfig(configDir: string, options: { secrets?: readonly string[] } = {}): Promise<TrademlConfig> {
  const [endpointsFile, edgeFile, backfillFile, curatorFile] = await Promise.all([
    readConfigFile(configDir, CONFIG_FILES.endpoints, endpointsFileSchema),
    readConfigFile(configDir, CONFIG_FILES.edge, edgeFileSchema),
    readConfigFile(configDir, CONFIG_FILES.backfill, backfillFileSchema),
    readConfigFile(configDir, CONFIG_FILES.curator, curatorFileSchema),
  ]);
  // Problems are listed file by file, in CONFIG_FILES order, whichever check found them.
  const found = { endpoints: [], edge: [], backfill: [], curator: [] } satisfies Record<keyof typeof CONFIG_FILES, ConfigProblem[]>;
  const parsed = {
    endpoints: valueOf(endpointsFile, found.endpoints),
    edge: valueOf(edgeFile, found.edge),
    backfill: valueOf(backfillFile, found.backfill),
    curator: valueOf(curatorFile, found.curator),
  };
  // Cross-checks run against whatever of the other files parsed, so one broken file does not hide the rest.
  const endpoints = normalized(parsed.endpoints, found.endpoints, (f, raw) => normalizeEndpoints(CONFIG_FILES.endpoints, f, raw));
  const edge = normalized(parsed.edge, found.edge, (f, raw) => normalizeEdge(CONFIG_FILES.edge, f, endpoints, raw));
  const backfill = normalized(parsed.backfill, found.backfill, (f, raw) => normalizeBackfill(CONFIG_FILES.backfill, f, endpoints, edge, raw));
  const curator = normalized(parsed.curator, found.curator, (f, raw) => normalizeCurator(CONFIG_FILES.curator, f, raw));
  const problems = [...found.endpoints, ...found.edge, ...found.backfill, ...found.curator];
  if (problems.length > 0 || !endpoints || !edge || !backfill || !curator) {
    throw new ConfigError(problems.map((p) => redactProblem(p, options.secrets ?? [])));
  }
  return { configDir: path.resolve(configDir), endpoints, edge, backfill, curator };
}
