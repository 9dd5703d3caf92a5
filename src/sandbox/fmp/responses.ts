import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import type { FmpPlan } from './plan.js';

const PRICING = 'https://site.financialmodelingprep.com/developer/docs/pricing';

/** Verbatim vendor bodies (vendor notes §6; fixtures `errors/`). */
export const MESSAGES = {
  limitReach: `Limit Reach . Please upgrade your plan or visit our documentation for more details at ${PRICING} `,
  invalidKey:
    'Invalid API KEY. Feel free to create a Free API Key or visit https://site.financialmodelingprep.com/faqs?search=why-is-my-api-key-invalid for more information.',
  premiumSymbol: `Premium Query Parameter: 'Special Endpoint : This value set for 'symbol' is not available under your current subscription please visit our subscription page to upgrade your plan at ${PRICING}'`,
  exclusive: `Exclusive Endpoint : This endpoint is not available under your current subscription agreement, please visit our subscription page to upgrade your plan or contact us at ${PRICING}`,
  legacy: `Legacy Endpoint : Due to Legacy endpoints being no longer supported - This endpoint is only available for legacy users who have valid subscriptions prior August 31, 2025. Please visit our subscription page to upgrade your plan or contact us at ${PRICING}`,
} as const;

/**
 * Bodies whose tail no source captured: the known prefix is kept verbatim and the tail is written
 * by analogy with the captured ones, so a classifier keyed on the prefix sees what it would live.
 */
export const CONSTRUCTED_MESSAGES = {
  bandwidth: `Bandwidth Limit Reach . Please upgrade your plan or visit our documentation for more details at ${PRICING} `,
  premiumPeriod: `Premium Query Parameter: 'Special Endpoint : This value set for 'period' is not available under your current subscription please visit our subscription page to upgrade your plan at ${PRICING}'`,
  premiumRange: (param: string, max: number): string =>
    `Premium Query Parameter: 'Special Parameters : The values for '${param}' must be between 0 and ${max} please visit our subscription page to upgrade your plan at ${PRICING}'`,
  missingParameter: (param: string): string => `Query Error: Invalid or missing query parameter - ${param}`,
} as const;

/** `{"Error Message": …}`, the vendor's JSON error wrapper. */
export function errorMessage(status: number, message: string): EmulatorResponse {
  return jsonResponse(status, { 'Error Message': message });
}

export function textResponse(status: number, body: string): EmulatorResponse {
  return { status, body, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}

/** A 402 "Premium Query Parameter" answer, bare or wrapped as the plan says. */
export function premiumQuery(plan: FmpPlan, message: string): EmulatorResponse {
  return plan.premiumQueryBody === 'json' ? errorMessage(402, message) : textResponse(402, message);
}

export const notFound = (): EmulatorResponse => textResponse(404, 'Not Found');
