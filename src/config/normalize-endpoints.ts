import { type DatasetName, type EndpointId, ENDPOINT_IDS, isEndpointId, normalizeDataset, type VendorId, vendorOfEndpoint } from '../catalog/index.js';
import { KEY_VAR_ALIASES, KEY_VARS, type KeyVar, normalizeKeyVar } from './key-vars.js';
import { DATASET_ALIAS_VENDOR, datasetKeys, vendorKeys } from './names.js';
import { type ConfigProblem, type KeyPath, ProblemList } from './problems.js';
import type { CapabilityFile, EndpointsFile, ProviderFile } from './schemas/endpoints.js';
import type { Capability, EndpointsConfig, ProviderConfig } from './types.js';

const KEY_VAR_PHRASE = `a key variable (${[...KEY_VARS, ...Object.keys(KEY_VAR_ALIASES)].join(', ')})`;

/** What each endpoint's payload maps to; a capability pairing an endpoint with another dataset is a slip. */
const ENDPOINT_DATASETS: Readonly<Record<EndpointId, readonly DatasetName[]>> = {
  'alpaca.bars': ['equities_eod'],
  'alpaca.minute': ['equities_minute'],
  'alpaca.options.bars': ['options_bars'],
  'alpaca.options.chain': ['options_chain'],
  'alpaca.corporate_actions': ['corp_actions'],
  'alpaca.assets': ['symbols'],
  'polygon.aggs.day': ['equities_eod'],
  'polygon.aggs.grouped_daily': ['equities_eod'],
  'polygon.reference.tickers': ['symbols', 'delistings'],
  'polygon.reference.splits': ['corp_actions'],
  'polygon.reference.dividends': ['corp_actions'],
  'polygon.options.contracts': ['options_contracts'],
  'finnhub.candle.daily': ['equities_eod'],
  'finnhub.option_chain': ['options_chain'],
  'finnhub.symbols': ['symbols'],
  'finnhub.splits': ['corp_actions'],
  'av.time_series_daily': ['equities_eod'],
  'av.listing_status': ['delistings', 'symbols'],
  'av.splits': ['corp_actions'],
  'av.dividends': ['corp_actions'],
  'av.historical_options': ['options_chain_hist'],
  'fmp.stock_list': ['symbols'],
  'fmp.delisted_companies': ['delistings'],
  'fmp.historical_price': ['equities_eod'],
  'fmp.statements': ['fundamentals'],
  'fmp.profile': ['symbols'],
  'fred.series': ['macro_series', 'treasuries'],
  'fred.treasury_curve': ['treasuries'],
  'fred.vintages': ['macro_series', 'treasuries'],
};

function endpointsOf(vendor: VendorId, dataset?: DatasetName): string[] {
  return ENDPOINT_IDS.filter((id) => vendorOfEndpoint(id) === vendor && (dataset === undefined || ENDPOINT_DATASETS[id].includes(dataset)));
}

interface Located {
  readonly capability: Capability;
  readonly path: KeyPath;
}

function keyEnv(problems: ProblemList, path: KeyPath, names: readonly string[]): KeyVar[] {
  const out: KeyVar[] = [];
  names.forEach((name, index) => {
    const id = normalizeKeyVar(name);
    if (id === undefined) problems.add([...path, index], KEY_VAR_PHRASE, name);
    else if (!out.includes(id)) out.push(id);
  });
  return out;
}

/** Drops (and reports) dataset aliases bound to another vendor: `equities_eod_fn` means equities_eod *from finnhub*. */
function ownDatasets(problems: ProblemList, vendor: VendorId, path: KeyPath, datasets: ProviderFile['datasets']): ProviderFile['datasets'] {
  const own: ProviderFile['datasets'] = {};
  for (const [key, value] of Object.entries(datasets)) {
    const aliasVendor = DATASET_ALIAS_VENDOR[key];
    if (aliasVendor === undefined || aliasVendor === vendor) own[key] = value;
    else problems.add([...path, key], `a dataset ${vendor} serves ("${key}" is ${normalizeDataset(key)} from ${aliasVendor})`, value);
  }
  return own;
}

function capabilitiesOf(problems: ProblemList, vendor: VendorId, path: KeyPath, provider: ProviderFile): Located[] {
  const located: Located[] = [];
  const datasets = ownDatasets(problems, vendor, [...path, 'datasets'], provider.datasets);
  for (const [dataset, entry] of datasetKeys(problems, [...path, 'datasets'], datasets)) {
    const datasetPath = [...path, 'datasets', entry.key];
    const list: readonly CapabilityFile[] = Array.isArray(entry.value) ? entry.value : [entry.value];
    list.forEach((cap, index) => {
      const capPath = Array.isArray(entry.value) ? [...datasetPath, index] : datasetPath;
      const found = capability(problems, vendor, dataset, capPath, cap, located);
      if (found !== undefined) located.push(found);
    });
  }
  return located;
}

function capability(
  problems: ProblemList,
  vendor: VendorId,
  dataset: DatasetName,
  path: KeyPath,
  cap: CapabilityFile,
  earlier: readonly Located[],
): Located | undefined {
  const { endpoint, ...rest } = cap;
  if (!isEndpointId(endpoint) || vendorOfEndpoint(endpoint) !== vendor) {
    problems.add([...path, 'endpoint'], `an endpoint id of ${vendor} (${endpointsOf(vendor).join(', ')})`, endpoint);
    return undefined;
  }
  if (!ENDPOINT_DATASETS[endpoint].includes(dataset)) {
    const fitting = endpointsOf(vendor, dataset);
    problems.add([...path, 'endpoint'], `an endpoint serving ${dataset} (${fitting.length > 0 ? fitting.join(', ') : `${vendor} has none`})`, endpoint);
    return undefined;
  }
  if (earlier.some((l) => l.capability.dataset === dataset && l.capability.endpoint === endpoint)) {
    problems.add([...path, 'endpoint'], `each endpoint once per dataset (${endpoint} already serves ${dataset})`, endpoint);
    return undefined;
  }
  return { capability: { ...rest, vendor, dataset, endpoint }, path };
}

/** A dataset has one canonical primary at most (spec §9: "assign a canonical primary per dataset"). */
function checkPrimaries(problems: ProblemList, located: readonly Located[]): void {
  const primaries = new Map<DatasetName, Capability>();
  for (const { capability: cap, path } of located) {
    if (cap.role !== 'primary') continue;
    const first = primaries.get(cap.dataset);
    if (first === undefined) primaries.set(cap.dataset, cap);
    else problems.add([...path, 'role'], `"alternate" (${first.endpoint} is already the primary of ${cap.dataset})`, cap.role);
  }
}

/** Resolves vendor and dataset aliases of endpoints.yml and checks that every endpoint belongs to its vendor. */
export function normalizeEndpoints(file: string, parsed: EndpointsFile, raw?: unknown): { config: EndpointsConfig; problems: ConfigProblem[] } {
  const problems = new ProblemList(file, raw);
  const providers: Partial<Record<VendorId, ProviderConfig>> = {};
  const all: Located[] = [];
  for (const [vendor, entry] of vendorKeys(problems, ['providers'], parsed.providers)) {
    const path = ['providers', entry.key];
    const { datasets: _datasets, key_env, ...limits } = entry.value;
    const located = capabilitiesOf(problems, vendor, path, entry.value);
    all.push(...located);
    providers[vendor] = {
      ...limits,
      vendor,
      key_env: keyEnv(problems, [...path, 'key_env'], key_env),
      capabilities: located.map((l) => l.capability),
    };
  }
  checkPrimaries(problems, all);
  return { config: { providers, capabilities: all.map((l) => l.capability) }, problems: problems.items };
}
