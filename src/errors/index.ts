/**
 * Base of every error trademl raises on purpose. Subclasses carry what a person needs to act
 * (the vendor, the HTTP status, the file and key) and never a secret: messages are built from
 * redacted inputs only.
 */
export class TrademlError extends Error {
  readonly vendor: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: { vendor?: string; status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.vendor = options.vendor;
    this.status = options.status;
  }

  /** The `--json` error object of the CLI contract. */
  toJSON(): { error: string; vendor: string | null; status: number | null; message: string } {
    return { error: this.name, vendor: this.vendor ?? null, status: this.status ?? null, message: this.message };
  }
}

export function isTrademlError(value: unknown): value is TrademlError {
  return value instanceof TrademlError;
}

/** A command-line argument that does not parse; the message names the option and what it expects. */
export class UsageError extends TrademlError {}
