import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Emulator, EmulatorRequest } from '../shared/http.js';

export interface StandaloneServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Mounts one emulator on its own loopback node:http server (an ephemeral port unless given), for
 * tests and demos that do not need the whole sandbox. An emulator bug answers 500, never a reset.
 */
export function serveEmulator(emulator: Emulator, options: { host?: string; port?: number } = {}): Promise<StandaloneServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => respond(emulator, req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      let closed: Promise<void> | undefined;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          (closed ??= new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          })),
      });
    });
  });
}

function respond(emulator: Emulator, req: IncomingMessage, res: ServerResponse): void {
  let response;
  try {
    response = emulator.handle(toRequest(req));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    response = { status: 500, body: JSON.stringify({ message: `sandbox error: ${message}` }), headers: { 'content-type': 'application/json; charset=utf-8' } };
  }
  res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) });
  res.end(response.body);
}

function toRequest(req: IncomingMessage): EmulatorRequest {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers };
}
