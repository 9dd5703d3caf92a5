import { BadRequest, EntitlementDenied, type VendorErrorInit } from '../../http/index.js';

/**
 * `403 Legacy Endpoint`: `/api/v3` is closed to keys issued after 2025-08-31 (vendors/fmp.md §0).
 * A capability denial for that path; the client also remembers it and stops trying legacy paths.
 */
export class FmpLegacyEndpointClosed extends EntitlementDenied {
  constructor(detail: string, init: VendorErrorInit) {
    super(detail, { ...init, scope: 'capability' });
  }
}

/**
 * `402 Premium Query Parameter` about a parameter other than `symbol` (`period=quarter`,
 * `limit>5`, `page>=1` on the free plan): the request must be changed (clamped), the endpoint
 * itself stays usable. Permanent: asking again returns the same 402.
 */
export class FmpParameterNotEntitled extends BadRequest {
  /** The parameter FMP named (`period`, `limit`, `page`), or `unknown` when the text named none. */
  readonly parameter: string;

  constructor(detail: string, init: VendorErrorInit & { parameter: string }) {
    super(detail, init);
    this.parameter = init.parameter;
  }
}
