export * from './vendors.js';
export * from './endpoints.js';
export * from './columns.js';
export * from './datasets.js';
export * from './curated.js';
export * from './ledger.js';
export * from './coverage.js';
