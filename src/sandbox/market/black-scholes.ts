/**
 * European Black-Scholes with a continuous risk-free rate and no dividend yield (q = 0). The
 * sandbox uses it to price its option chains, so the numbers a vendor emulator serves obey the
 * textbook identities (put-call parity, greek signs) that tests and QC can check.
 */
export interface BlackScholesInput {
  right: 'C' | 'P';
  /** Underlying price. */
  spot: number;
  strike: number;
  /** Years to expiry (calendar days / 365), > 0. */
  years: number;
  /** Annualised volatility as a fraction (0.25 = 25 %), > 0. */
  vol: number;
  /** Continuously compounded annual rate as a fraction. */
  rate: number;
}

export interface BlackScholesOutput {
  price: number;
  delta: number;
  gamma: number;
  /** Change of price per calendar day (per year / 365); negative for a long option as a rule. */
  theta: number;
  /** Change of price per 1 volatility point (0.01 of vol). */
  vega: number;
  /** Change of price per 1 percentage point of the rate (0.01). */
  rho: number;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Standard normal CDF (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). Computed for |x| and
 * mirrored, so N(x) + N(-x) = 1 exactly and put-call parity holds to rounding.
 */
export function normCdf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.2316419 * z);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = normPdf(z) * poly;
  return x >= 0 ? 1 - upper : upper;
}

export function blackScholes(input: BlackScholesInput): BlackScholesOutput {
  const { right, spot: s, strike: k, years: t, vol: v, rate: r } = input;
  if (!(s > 0 && k > 0 && t > 0 && v > 0)) throw new RangeError(`black-scholes needs positive spot, strike, years and vol, got ${JSON.stringify(input)}`);
  const sqrtT = Math.sqrt(t);
  const d1 = (Math.log(s / k) + (r + 0.5 * v * v) * t) / (v * sqrtT);
  const d2 = d1 - v * sqrtT;
  const discount = Math.exp(-r * t);
  const pdf = normPdf(d1);
  const gamma = pdf / (s * v * sqrtT);
  const vega = (s * pdf * sqrtT) / 100;
  const decay = (-s * pdf * v) / (2 * sqrtT);
  if (right === 'C') {
    const nd2 = normCdf(d2);
    return {
      price: s * normCdf(d1) - k * discount * nd2,
      delta: normCdf(d1),
      gamma,
      theta: (decay - r * k * discount * nd2) / 365,
      vega,
      rho: (k * t * discount * nd2) / 100,
    };
  }
  const nmd2 = normCdf(-d2);
  return {
    price: k * discount * nmd2 - s * normCdf(-d1),
    delta: normCdf(d1) - 1,
    gamma,
    theta: (decay + r * k * discount * nmd2) / 365,
    vega,
    rho: (-k * t * discount * nmd2) / 100,
  };
}
