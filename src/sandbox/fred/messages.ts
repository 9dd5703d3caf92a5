/**
 * Error texts. Verbatim from fred.md §6 / the fixtures where the notes quote them (note the two
 * spaces after "Bad Request." in live bodies); the rest are sandbox wording in FRED's style, for
 * cases whose real text was never captured — clients must match on status, not on these.
 */
export const MESSAGES = {
  // Verbatim (fixtures/vendors/fred/errors, fred.md §6).
  apiKeyNotSet: 'Bad Request.  Variable api_key is not set. Read https://research.stlouisfed.org/docs/api/api_key.html for more information.',
  apiKeyNotRegistered:
    'Bad Request.  The value for variable api_key is not registered. Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.',
  apiKeyMalformed:
    'Bad Request.  The value for variable api_key is not a 32 character alpha-numeric lower-case string.  Read http://api.stlouisfed.org/api_key.html for more information.',
  seriesDoesNotExist: 'Bad Request.  The series does not exist.',
  notADate: (variable: string) => `Bad Request.  Variable ${variable} is not a YYYY-MM-DD formatted date (e.g. 2000-02-24).`,
  badUnits: 'Bad Request.  Value of units is not one of: cap, cca, cch, ch1, chg, lin, log, pc1, pca, pch.',
  // As quoted in fredapi PR #52 (one space after "Bad Request." there; spacing unverified).
  tooManyVintageDates: (max: number) => `Bad Request. This exceeds the maximum number of vintage dates allowed (${max})`,
  // Sandbox wording (real text not captured).
  rateLimited: 'Too Many Requests.  Exceeded Rate Limit',
  seriesIdNotSet: 'Bad Request.  Variable series_id is not set.',
  startAfterEnd: (what: 'realtime' | 'observation') => `Bad Request.  Variable ${what}_start can not be after ${what}_end.`,
  limitOutOfRange: (max: number) => `Bad Request.  Variable limit is not between 1 and ${max}.`,
  offsetInvalid: 'Bad Request.  Variable offset is not a non-negative integer.',
  sortOrderInvalid: "Bad Request.  Variable sort_order is not one of: 'asc', 'desc'.",
  fileTypeInvalid: 'Bad Request.  Variable file_type is not one of: xml, json.',
  fileTypeUnsupported: (fileType: string) => `Bad Request.  The sandbox does not produce file_type=${fileType}; use json or xml.`,
  unitsUnsupported: (units: string) => `Bad Request.  The sandbox serves only units=lin (got ${units}).`,
  frequencyInvalid: 'Bad Request.  Variable frequency is not one of: d, w, bw, m, q, sa, a, wef, weth, wew, wetu, wem, wesu, wesa, bwew, bwem.',
  frequencyUnsupported: 'Bad Request.  The sandbox serves only the native frequency of a series.',
  outputTypeInvalid: 'Bad Request.  Variable output_type is not one of: 1, 2, 3, 4.',
  outputTypeUnsupported: 'Bad Request.  The sandbox serves output_type 1 and 4 only.',
  notFound: 'Not Found.  The requested resource does not exist.',
  methodNotAllowed: 'Method Not Allowed.  The FRED API answers GET requests only.',
} as const;

/** A request the emulator refuses; rendered as `{error_code, error_message}` or `<error …/>`. */
export class FredApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'FredApiError';
  }
}
