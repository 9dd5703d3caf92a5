import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Emulator, EmulatorRequest } from '../../shared/http.js';
import { FINNHUB_BASE_PATH } from '../emulator.js';

export interface ServedEmulator {
  /** `http://127.0.0.1:<port>/api/v1`, as a connector's configured base URL. */
  baseUrl: string;
  close(): Promise<void>;
}

function toEmulatorRequest(req: IncomingMessage): EmulatorRequest {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers };
}

/** Mounts one emulator on a loopback node:http server (ephemeral port) until `close()`. */
export function serveEmulator(emulator: Emulator): Promise<ServedEmulator> {
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const response = emulator.handle(toEmulatorRequest(req));
    res.writeHead(response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) });
    res.end(response.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        baseUrl: `http://127.0.0.1:${port}${FINNHUB_BASE_PATH}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}
