import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Emulator, EmulatorRequest, EmulatorResponse } from './http.js';

/** A listening loopback server and its open connections (closed together, hanging ones included). */
export interface VendorServer {
  server: Server;
  sockets: Set<Socket>;
  url: string;
}

export interface ServedEmulator {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Mounts one emulator on its own loopback server (an ephemeral port unless given): for tests and
 * tools that need one vendor, not the whole sandbox. Same request handling as startSandbox.
 */
export async function serveEmulator(emulator: Emulator, options: { host?: string; port?: number } = {}): Promise<ServedEmulator> {
  const served = await listen(
    (req, res) => send(res, safely(() => emulator.handle(toEmulatorRequest(req)))),
    options.host ?? '127.0.0.1',
    options.port ?? 0,
  );
  let closed: Promise<void> | undefined;
  return { url: served.url, close: () => (closed ??= shutdown(served)) };
}

export function send(res: ServerResponse, response: EmulatorResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) });
  res.end(response.body);
}

export function toEmulatorRequest(req: IncomingMessage): EmulatorRequest {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers };
}

/** An emulator bug must surface as a 500 the test can see, not a dropped connection. */
export function safely(handle: () => EmulatorResponse): EmulatorResponse {
  try {
    return handle();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, body: JSON.stringify({ message: `sandbox error: ${message}` }), headers: { 'content-type': 'application/json; charset=utf-8' } };
  }
}

export function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, host: string, port: number): Promise<VendorServer> {
  // ALFRED requests carry up to 2,000 vintage dates in the query (~22 kB), past Node's 16 kB default.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, handler);
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
export function shutdown({ server, sockets }: VendorServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}
