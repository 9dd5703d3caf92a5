export {
  createAlpacaEmulator,
  ALPACA_FREE_PLAN,
  type AlpacaCredentials,
  type AlpacaEmulatorOptions,
  type AlpacaPlan,
} from './emulator.js';
