export { serveEmulator as serveOnLoopback, type ServedEmulator as Loopback } from '../../shared/serve.js';
