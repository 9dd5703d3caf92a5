// The shared loopback server already raises the header limit that 2,000-date vintage lists need.
export { serveEmulator, type ServedEmulator as LoopbackServer } from '../../shared/serve.js';
