import { TrademlError } from '../errors/index.js';

/** A path into a config document: mapping keys and list indices. */
export type KeyPath = readonly (string | number)[];

/**
 * One thing wrong with a config file or the environment. `text` is the rendered line a person reads:
 * `<file>: <dotted.key.path>: expected <what>, got <value (type)>`, `<file>: file not found` or
 * `<file>:<line>:<col>: <message>`.
 */
export interface ConfigProblem {
  readonly file: string;
  /** Dotted key path, when the problem is about one key. */
  readonly path: string | undefined;
  readonly text: string;
}

/**
 * Every problem found in the config files and/or the environment, all at once, so a person fixes
 * them in one pass. The message holds one rendered problem a line; it never carries a secret
 * (environment values are redacted before a problem is built).
 */
export class ConfigError extends TrademlError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map((p) => p.text).join('\n') || 'invalid configuration');
    this.problems = problems;
  }
}

export function renderPath(path: KeyPath): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

const PREVIEW_CHARS = 80;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

function preview(value: unknown): string {
  let text: string;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

/** `"abc" (string)`, `12 (number)`, `{"a":1} (mapping)`; an absent key reads `nothing (missing)`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  return `${preview(value)} (${kindOf(value)})`;
}

export function valueProblem(file: string, path: KeyPath, expected: string, value: unknown): ConfigProblem {
  const dotted = renderPath(path);
  return { file, path: dotted, text: `${file}: ${dotted}: expected ${expected}, got ${describeValue(value)}` };
}

export function fileNotFound(file: string): ConfigProblem {
  return { file, path: undefined, text: `${file}: file not found` };
}

export function fileUnreadable(file: string, reason: string): ConfigProblem {
  return { file, path: undefined, text: `${file}: cannot read the file (${reason})` };
}

export function syntaxProblem(file: string, line: number, col: number, message: string): ConfigProblem {
  return { file, path: undefined, text: `${file}:${line}:${col}: ${message}` };
}

/** Secrets shorter than this are not redacted: replacing 1–3 characters would garble every message. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of every secret (longest first) with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  const usable = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of usable) out = out.split(secret).join('[redacted]');
  return out;
}

export function redactProblem(problem: ConfigProblem, secrets: readonly string[]): ConfigProblem {
  return { ...problem, text: redact(problem.text, secrets) };
}

/** The node at `path` of a parsed YAML document; undefined when the path does not exist. */
export function valueAt(doc: unknown, path: KeyPath): unknown {
  let node: unknown = doc;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Collects problems while a document is checked, so every one of them is reported together. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];

  /** `raw` is the document as written: problems show the value the person wrote, not its parsed form with defaults. */
  constructor(
    readonly file: string,
    private readonly raw?: unknown,
  ) {}

  add(path: KeyPath, expected: string, value: unknown): void {
    const written = this.raw === undefined ? undefined : valueAt(this.raw, path);
    this.items.push(valueProblem(this.file, path, expected, written ?? value));
  }

  push(...problems: ConfigProblem[]): void {
    this.items.push(...problems);
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}
