import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock } from '../clock/index.js';
import { createAlpacaEmulator, type AlpacaCredentials, type AlpacaPlan } from './alpaca/index.js';
import type { Market } from './market/index.js';
import { createPolygonEmulator, type PolygonCredentials, type PolygonPlan } from './polygon/index.js';
import { redactedPathOf, type Emulator, type EmulatorRequest, type EmulatorResponse } from './shared/http.js';

export type SandboxVendor = 'alpaca' | 'polygon';

export interface FaultContext {
  vendor: SandboxVendor;
  /** URL path, without the query. */
  path: string;
  /** Query parameters, last value wins (keys included: the injector runs inside the test). */
  query: Readonly<Record<string, string>>;
  /** 1-based count of requests this vendor's server has received, this one included. */
  requestNumber: number;
}

export type Fault =
  | { kind: 'status'; status: number; body: string; headers?: Record<string, string> }
  /** Never answers; the connection stays open until the client gives up or the sandbox closes. */
  | { kind: 'hang' }
  /** Answers normally but cuts the body in half (malformed JSON with a consistent Content-Length). */
  | { kind: 'truncate' };

export type FaultInjector = (ctx: FaultContext) => Fault | undefined;

export interface SandboxOptions {
  clock: Clock;
  market: Market;
  host?: string;
  /** Fixed ports (the CLI's --port-base); ephemeral when omitted. */
  ports?: { alpaca?: number; polygon?: number };
  /** When omitted, any non-empty credential is accepted (a missing one is still rejected). */
  credentials?: { alpaca?: AlpacaCredentials; polygon?: PolygonCredentials };
  /** Free-tier limits, overridable per vendor. */
  plans?: { alpaca?: Partial<AlpacaPlan>; polygon?: Partial<PolygonPlan> };
  faults?: FaultInjector;
}

export interface VendorStats {
  requests: number;
  byStatus: Record<number, number>;
  rateLimited: number;
}

export interface RequestLogEntry {
  vendor: SandboxVendor;
  atMs: number;
  method: string;
  /** Path and query with key values replaced by REDACTED. */
  path: string;
  /** HTTP status sent; 0 for a request left hanging by a fault. */
  status: number;
}

export interface Sandbox {
  baseUrls: { alpacaData: string; alpacaTrading: string; polygon: string };
  /** The environment that points connectors at this sandbox. */
  env(): Record<string, string>;
  stats(): Record<SandboxVendor, VendorStats>;
  requestLog(): RequestLogEntry[];
  close(): Promise<void>;
}

interface VendorServer {
  server: Server;
  sockets: Set<Socket>;
  url: string;
}

/** Starts one loopback HTTP server per vendor over one simulated market and one clock. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const { clock, market } = options;
  const log: RequestLogEntry[] = [];
  const stats: Record<SandboxVendor, VendorStats> = { alpaca: emptyStats(), polygon: emptyStats() };
  const counters: Record<SandboxVendor, number> = { alpaca: 0, polygon: 0 };
  const emulators: Record<SandboxVendor, Emulator> = {
    alpaca: createAlpacaEmulator({ market, clock, credentials: options.credentials?.alpaca, plan: options.plans?.alpaca }),
    polygon: createPolygonEmulator({ market, clock, credentials: options.credentials?.polygon, plan: options.plans?.polygon }),
  };

  function serve(vendor: SandboxVendor, req: IncomingMessage, res: ServerResponse): void {
    const request = toEmulatorRequest(req);
    counters[vendor] += 1;
    const record = (status: number): void => {
      log.push({ vendor, atMs: clock.now(), method: request.method, path: redactedPathOf(request.path, request.query), status });
      const s = stats[vendor];
      s.requests += 1;
      s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
      if (status === 429) s.rateLimited += 1;
    };
    const fault = options.faults?.({ vendor, path: request.path, query: Object.fromEntries(request.query), requestNumber: counters[vendor] });
    if (fault?.kind === 'hang') {
      record(0);
      return;
    }
    let response: EmulatorResponse;
    if (fault?.kind === 'status') {
      response = { status: fault.status, body: fault.body, headers: { 'content-type': 'application/json; charset=utf-8', ...fault.headers } };
    } else {
      response = safely(() => emulators[vendor].handle(request));
      if (fault?.kind === 'truncate') response = { ...response, body: response.body.slice(0, Math.floor(response.body.length / 2)) };
    }
    record(response.status);
    res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) });
    res.end(response.body);
  }

  const alpaca = await listen((req, res) => serve('alpaca', req, res), host, options.ports?.alpaca ?? 0);
  const polygon = await listen((req, res) => serve('polygon', req, res), host, options.ports?.polygon ?? 0).catch(async (error: unknown) => {
    await shutdown(alpaca);
    throw error;
  });
  const baseUrls = { alpacaData: alpaca.url, alpacaTrading: alpaca.url, polygon: polygon.url };
  let closed: Promise<void> | undefined;

  return {
    baseUrls,
    env: () => ({
      TRADEML_ALPACA_DATA_BASE_URL: baseUrls.alpacaData,
      TRADEML_ALPACA_TRADING_BASE_URL: baseUrls.alpacaTrading,
      TRADEML_POLYGON_BASE_URL: baseUrls.polygon,
    }),
    stats: () => ({ alpaca: copyStats(stats.alpaca), polygon: copyStats(stats.polygon) }),
    requestLog: () => log.map((entry) => ({ ...entry })),
    close: () => (closed ??= Promise.all([shutdown(alpaca), shutdown(polygon)]).then(() => undefined)),
  };
}

function emptyStats(): VendorStats {
  return { requests: 0, byStatus: {}, rateLimited: 0 };
}

function copyStats(s: VendorStats): VendorStats {
  return { requests: s.requests, byStatus: { ...s.byStatus }, rateLimited: s.rateLimited };
}

function toEmulatorRequest(req: IncomingMessage): EmulatorRequest {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers };
}

/** An emulator bug must surface as a 500 the test can see, not a dropped connection. */
function safely(handle: () => EmulatorResponse): EmulatorResponse {
  try {
    return handle();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, body: JSON.stringify({ message: `sandbox error: ${message}` }), headers: { 'content-type': 'application/json; charset=utf-8' } };
  }
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number): Promise<VendorServer> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ server, sockets, url: `http://${hostPart}:${address.port}` });
    });
  });
}

/** Closes the listener and every open connection, hanging ones included. */
function shutdown({ server, sockets }: VendorServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}
