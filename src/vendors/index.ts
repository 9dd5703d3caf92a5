export * from './alpaca/index.js';
export * from './polygon/index.js';
export type { HttpTuning, Lineage } from './shared/index.js';
