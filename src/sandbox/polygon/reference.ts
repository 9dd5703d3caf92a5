import { jsonResponse, type EmulatorResponse } from '../shared/http.js';
import { polygonError, PUBLIC_HOST, type PolygonContext } from './context.js';

export type FieldValue = string | number | boolean | null | undefined;
export type FieldKind = 'string' | 'number' | 'boolean';

/** A filterable/sortable column of a reference endpoint. */
export interface Field<R> {
  kind: FieldKind;
  get: (row: R) => FieldValue;
  /** Accepts `.gt/.gte/.lt/.lte`. */
  ranges?: boolean;
  /** Accepts `.any_of` (comma list). */
  anyOf?: boolean;
}

export type Fields<R> = Record<string, Field<R>>;

export interface ListSpec<R> {
  path: string;
  fields: Fields<R>;
  defaultLimit: number;
  maxLimit: number;
  /** Resolves the sort order from the query; an error text when it is not understood. */
  order: (params: URLSearchParams) => Array<{ field: string; desc: boolean }> | string;
  /**
   * Rows shown, already restricted by the plan and the clock; or built from the resolved
   * parameters (a cursor's too) when they depend on them, an error text when those are invalid.
   */
  rows: R[] | ((params: URLSearchParams) => R[] | string);
  render: (row: R) => Record<string, unknown>;
  /** Filters that are not plain column tests (defaults, free-text search), read from the resolved parameters. */
  preFilter?: (params: URLSearchParams) => (row: R) => boolean;
}

const RANGE_OPS = new Set(['gt', 'gte', 'lt', 'lte']);

/**
 * A paginated reference list: filters, sort, `limit`, and `next_url` =
 * `https://api.massive.com<path>?cursor=<opaque>` (no key). The cursor carries every original filter
 * and the offset, so a follow-up sends only `cursor` plus its key.
 */
export function referenceList<R>(spec: ListSpec<R>, query: URLSearchParams, ctx: PolygonContext): EmulatorResponse {
  const resolved = resolveCursor(spec.path, query);
  if (!resolved) return polygonError(400, 'Invalid cursor', ctx.requestId);
  const { params, offset } = resolved;
  const limitText = params.get('limit');
  const limit = limitText === null ? spec.defaultLimit : /^\d+$/.test(limitText) && Number(limitText) >= 1 ? Math.min(spec.maxLimit, Number(limitText)) : undefined;
  if (limit === undefined) return polygonError(400, "Could not parse the parameter 'limit'", ctx.requestId);
  const order = spec.order(params);
  if (typeof order === 'string') return polygonError(400, order, ctx.requestId);
  const rows = typeof spec.rows === 'function' ? spec.rows(params) : spec.rows;
  if (typeof rows === 'string') return polygonError(400, rows, ctx.requestId);
  const base = spec.preFilter ? rows.filter(spec.preFilter(params)) : rows;
  const filtered = applyFilters(base, params, spec.fields);
  if (typeof filtered === 'string') return polygonError(400, filtered, ctx.requestId);
  const sorted = sortRows(filtered, order, spec.fields);
  const page = sorted.slice(offset, offset + limit);
  const body: Record<string, unknown> = { results: page.map(spec.render), status: 'OK', request_id: ctx.requestId, count: page.length };
  if (offset + limit < sorted.length) body.next_url = `${PUBLIC_HOST}${spec.path}?cursor=${encodeCursor(spec.path, params, offset + limit)}`;
  return jsonResponse(200, body);
}

interface CursorState {
  p: string;
  q: Array<[string, string]>;
  o: number;
}

function encodeCursor(path: string, params: URLSearchParams, offset: number): string {
  const state: CursorState = { p: path, q: [...params].filter(([k]) => k !== 'apiKey' && k !== 'cursor'), o: offset };
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function resolveCursor(path: string, query: URLSearchParams): { params: URLSearchParams; offset: number } | undefined {
  const cursor = query.get('cursor');
  if (cursor === null) return { params: query, offset: 0 };
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorState>;
    if (state.p !== path || !Array.isArray(state.q) || !Number.isInteger(state.o) || (state.o as number) < 0) return undefined;
    return { params: new URLSearchParams(state.q), offset: state.o as number };
  } catch {
    return undefined;
  }
}

function parseValue(kind: FieldKind, text: string): FieldValue | typeof INVALID {
  if (kind === 'string') return text;
  if (kind === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : INVALID;
  return text === 'true' ? true : text === 'false' ? false : INVALID;
}

const INVALID = Symbol('invalid');

function applyFilters<R>(rows: R[], params: URLSearchParams, fields: Fields<R>): R[] | string {
  const tests: Array<(row: R) => boolean> = [];
  for (const [key, text] of params) {
    const dot = key.lastIndexOf('.');
    const op = dot === -1 ? '' : key.slice(dot + 1);
    const name = dot !== -1 && (RANGE_OPS.has(op) || op === 'any_of') ? key.slice(0, dot) : key;
    const field = fields[name];
    if (!field) continue; // limit, sort, order, apiKey and filters the sandbox does not model
    const operator = name === key ? '' : op;
    if ((RANGE_OPS.has(operator) && !field.ranges) || (operator === 'any_of' && !field.anyOf)) return `Unsupported filter '${key}'`;
    const values = (operator === 'any_of' ? text.split(',') : [text]).map((t) => parseValue(field.kind, t));
    if (values.some((v) => v === INVALID)) return `Could not parse the parameter '${key}'`;
    const [first] = values as FieldValue[];
    tests.push((row) => {
      const v = field.get(row);
      if (operator === 'any_of') return (values as FieldValue[]).includes(v);
      if (operator === '') return v === first;
      if (v === null || v === undefined || first === null || first === undefined) return false;
      if (operator === 'gt') return v > first;
      if (operator === 'gte') return v >= first;
      if (operator === 'lt') return v < first;
      return v <= first;
    });
  }
  return rows.filter((row) => tests.every((t) => t(row)));
}

function sortRows<R>(rows: R[], order: Array<{ field: string; desc: boolean }>, fields: Fields<R>): R[] {
  const keyed = order.map(({ field, desc }) => ({ get: (fields[field] as Field<R>).get, sign: desc ? -1 : 1 }));
  return [...rows].sort((a, b) => {
    for (const { get, sign } of keyed) {
      const x = get(a);
      const y = get(b);
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return 0;
  });
}

/** v3 style: `sort=<column>` plus `order=asc|desc`. */
export function v3Order(sortable: readonly string[], defaultSort: string, defaultOrder: 'asc' | 'desc', tieBreak: string) {
  return (params: URLSearchParams): Array<{ field: string; desc: boolean }> | string => {
    const sort = params.get('sort') ?? defaultSort;
    const order = params.get('order') ?? defaultOrder;
    if (!sortable.includes(sort)) return `Could not parse the parameter 'sort': ${sort}`;
    if (order !== 'asc' && order !== 'desc') return `Could not parse the parameter 'order': ${order}`;
    return [{ field: sort, desc: order === 'desc' }, { field: tieBreak, desc: false }];
  };
}

/** `/stocks/v1` style: `sort=col.asc,col2.desc`. */
export function v1Order(sortable: readonly string[], defaultSort: string, tieBreak: string) {
  return (params: URLSearchParams): Array<{ field: string; desc: boolean }> | string => {
    const out: Array<{ field: string; desc: boolean }> = [];
    for (const part of (params.get('sort') ?? defaultSort).split(',')) {
      const match = /^([a-z_]+)(?:\.(asc|desc))?$/.exec(part.trim());
      if (!match || !sortable.includes(match[1] as string)) return `Could not parse the parameter 'sort': ${part}`;
      out.push({ field: match[1] as string, desc: match[2] === 'desc' });
    }
    out.push({ field: tieBreak, desc: false });
    return out;
  };
}
