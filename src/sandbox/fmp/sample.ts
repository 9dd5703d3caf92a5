import { createRng, type Market } from '../market/index.js';

/**
 * A free-plan-like symbol sample drawn from the sandbox market (the published sample names real
 * tickers the simulated market rarely has): `size` symbols chosen by the market seed, sorted. Pass
 * it as `plan.symbols` to exercise a connector's handling of the premium-symbol 402 on a demo.
 */
export function fmpMarketSample(market: Market, size = 87): string[] {
  const picked = createRng(market.seed, 'fmp-sample').shuffle(market.symbols.map((s) => s.symbol)).slice(0, size);
  return picked.sort();
}
