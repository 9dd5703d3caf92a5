import { TrademlError } from '../errors/index.js';

/** A lake operation that cannot proceed: an unsupported root, an unreadable file, a bad argument. */
export class LakeError extends TrademlError {}

/** A path segment or table path that would not be safe (or reversible) inside the lake root. */
export class LakePathError extends LakeError {}

/**
 * Rows refused before anything is written: names the dataset (or table path), the column and the
 * row index, so the connector that produced them can be fixed. Nothing is written when it is thrown.
 */
export class LakeWriteError extends LakeError {
  readonly dataset: string;
  readonly column: string | undefined;
  readonly rowIndex: number | undefined;

  constructor(
    message: string,
    details: { dataset: string; column?: string; rowIndex?: number; vendor?: string; cause?: unknown },
  ) {
    const where = [
      details.dataset,
      details.rowIndex === undefined ? undefined : `row ${details.rowIndex}`,
      details.column === undefined ? undefined : `column "${details.column}"`,
    ]
      .filter((part) => part !== undefined)
      .join(', ');
    super(`${where}: ${message}`, { vendor: details.vendor, cause: details.cause });
    this.dataset = details.dataset;
    this.column = details.column;
    this.rowIndex = details.rowIndex;
  }
}
