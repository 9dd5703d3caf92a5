// Alpha Vantage's standalone server is the shared one; the name stays for callers that import it here.
export { serveEmulator, type ServedEmulator as StandaloneServer } from '../shared/serve.js';
