import { TrademlError } from '../errors/index.js';

/** The state store cannot be opened as configured (bad url, unsupported backend, schema too new). */
export class StateConfigError extends TrademlError {}

/** A state store was used after `close()`. */
export class StateClosedError extends TrademlError {}

/** A stored value this build does not recognise (a vendor, endpoint or status it has no name for). */
export class StateDataError extends TrademlError {}
