export * from './common.js';
export type { FetchArgs, EndpointFetcher } from './fetch-args.js';
