import type { DatasetName, EndpointId, VendorId } from '../catalog/index.js';

/**
 * The forward-ingest tasks `configs/edge.yml` may name. Each is one producer of units for one vendor
 * and dataset, calling the listed endpoints. The original twelve task names are kept so old configs
 * still read; the rest cover reference data the original pulled outside the task list.
 */
export const TASKS = {
  alpaca_bars: { vendor: 'alpaca', dataset: 'equities_eod', endpoints: ['alpaca.bars'] },
  alpaca_minute: { vendor: 'alpaca', dataset: 'equities_minute', endpoints: ['alpaca.minute'] },
  alpaca_options_bars: { vendor: 'alpaca', dataset: 'options_bars', endpoints: ['alpaca.options.bars'] },
  alpaca_options_chain: { vendor: 'alpaca', dataset: 'options_chain', endpoints: ['alpaca.options.chain'] },
  alpaca_corporate_actions: { vendor: 'alpaca', dataset: 'corp_actions', endpoints: ['alpaca.corporate_actions'] },
  alpaca_assets: { vendor: 'alpaca', dataset: 'symbols', endpoints: ['alpaca.assets'] },
  polygon_bars: { vendor: 'polygon', dataset: 'equities_eod', endpoints: ['polygon.aggs.grouped_daily', 'polygon.aggs.day'] },
  polygon_tickers: { vendor: 'polygon', dataset: 'symbols', endpoints: ['polygon.reference.tickers'] },
  polygon_corp_actions: {
    vendor: 'polygon',
    dataset: 'corp_actions',
    endpoints: ['polygon.reference.splits', 'polygon.reference.dividends'],
  },
  polygon_options_contracts: { vendor: 'polygon', dataset: 'options_contracts', endpoints: ['polygon.options.contracts'] },
  finnhub_options: { vendor: 'finnhub', dataset: 'options_chain', endpoints: ['finnhub.option_chain'] },
  finnhub_daily: { vendor: 'finnhub', dataset: 'equities_eod', endpoints: ['finnhub.candle.daily'] },
  finnhub_symbols: { vendor: 'finnhub', dataset: 'symbols', endpoints: ['finnhub.symbols'] },
  av_corp_actions: { vendor: 'av', dataset: 'corp_actions', endpoints: ['av.splits', 'av.dividends'] },
  av_options_hist: { vendor: 'av', dataset: 'options_chain_hist', endpoints: ['av.historical_options'] },
  av_delistings: { vendor: 'av', dataset: 'delistings', endpoints: ['av.listing_status'] },
  fmp_fundamentals: { vendor: 'fmp', dataset: 'fundamentals', endpoints: ['fmp.statements'] },
  fmp_delistings: { vendor: 'fmp', dataset: 'delistings', endpoints: ['fmp.delisted_companies'] },
  fmp_symbols: { vendor: 'fmp', dataset: 'symbols', endpoints: ['fmp.stock_list'] },
  fred_treasury: { vendor: 'fred', dataset: 'treasuries', endpoints: ['fred.treasury_curve'] },
  fred_series: { vendor: 'fred', dataset: 'macro_series', endpoints: ['fred.series', 'fred.vintages'] },
} as const satisfies Record<string, TaskSpec>;

export interface TaskSpec {
  readonly vendor: VendorId;
  readonly dataset: DatasetName;
  readonly endpoints: readonly EndpointId[];
}

export type TaskName = keyof typeof TASKS;
export const TASK_NAMES = Object.keys(TASKS) as TaskName[];

export function isTaskName(value: string): value is TaskName {
  return Object.hasOwn(TASKS, value);
}

export function taskSpec(name: TaskName): TaskSpec {
  return TASKS[name];
}
