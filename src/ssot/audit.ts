// The audit lives in ./audit/; this file keeps the module path the rest of the code imports.
export * from './audit/index.js';
