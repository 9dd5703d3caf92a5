/** A CSV text that cannot be read as records: where and why. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`CSV line ${line}: ${detail}`);
    this.name = 'CsvError';
  }
}

/** One record and the line it starts on (1-based), for error messages. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * RFC 4180 records: comma separated, CRLF or LF line ends, fields optionally in double quotes
 * (which may hold commas, quotes doubled as `""`, and line breaks). A leading byte-order mark and
 * blank lines are ignored. Strict where guessing would corrupt data: an unterminated quote, or text
 * between a closing quote and the next separator, is a CsvError.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let record: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false; // the current field was quoted (and is closed)

  const endField = (): void => {
    record.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = (): void => {
    endField();
    if (!(record.length === 1 && record[0] === '')) records.push({ fields: record, line: recordLine });
    record = [];
  };

  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' && field === '' && !quoted) {
      const close = readQuoted(text, i + 1, line);
      field = close.value;
      line = close.line;
      i = close.next;
      quoted = true;
      continue;
    }
    if (ch === ',') {
      endField();
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else if (quoted) {
      throw new CsvError(line, `unexpected ${JSON.stringify(ch)} after a closing quote`);
    } else {
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || quoted || record.length > 0) endRecord();
  return records;
}

function readQuoted(text: string, start: number, line: number): { value: string; next: number; line: number } {
  let value = '';
  let i = start;
  let current = line;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      if (text[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { value, next: i + 1, line: current };
    }
    if (ch === '\n') current += 1;
    value += ch;
    i += 1;
  }
  throw new CsvError(line, 'unterminated quoted field');
}
