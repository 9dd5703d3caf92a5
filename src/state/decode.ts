import {
  isDatasetName,
  isEndpointId,
  isVendorId,
  type DatasetName,
  type EndpointId,
  type VendorId,
} from '../catalog/index.js';
import { StateDataError } from './errors.js';

/** Narrows stored text back to the catalog's names; a value this build does not know is an error, not a cast. */
export function vendorOf(value: string): VendorId {
  if (isVendorId(value)) return value;
  throw new StateDataError(`state store holds unknown vendor '${value}'`);
}

export function endpointOf(value: string): EndpointId {
  if (isEndpointId(value)) return value;
  throw new StateDataError(`state store holds unknown endpoint '${value}'`);
}

export function datasetOf(value: string): DatasetName {
  if (isDatasetName(value)) return value;
  throw new StateDataError(`state store holds unknown dataset '${value}'`);
}

export function oneOf<T extends string>(allowed: readonly T[], value: string, what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new StateDataError(`state store holds unknown ${what} '${value}'`);
}

/** Parses a stored JSON object column; anything but a plain object is corrupt. */
export function jsonObjectOf(text: string, what: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text);
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return parsed as Record<string, unknown>;
  }
  throw new StateDataError(`state store holds a ${what} that is not a JSON object`);
}
