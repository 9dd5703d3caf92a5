import type { z } from 'zod';
import { type ConfigProblem, type KeyPath, valueAt, valueProblem } from './problems.js';

/**
 * zod turns every issue into a message through this map; we make that message the "what" of
 * `expected <what>`, so a rendered problem reads like a sentence instead of zod's own wording.
 * Schemas that need a better phrase (unions, patterns) carry their own `error`, which wins.
 */
type RawIssue = z.core.$ZodRawIssue;

const TYPE_PHRASES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  null: 'null',
};

function schemaFormat(issue: RawIssue): string | undefined {
  const schema = (issue as { schema?: { _zod?: { def?: { format?: string } } } }).schema;
  return schema?._zod?.def?.format;
}

function isIntegerSchema(issue: RawIssue): boolean {
  const format = schemaFormat(issue);
  return format === 'safeint' || format === 'int32' || format === 'uint32';
}

function boundPhrase(issue: RawIssue & { origin?: string; inclusive?: boolean }, bound: unknown, below: boolean): string {
  const origin = issue.origin;
  const n = String(bound);
  if (origin === 'array' || origin === 'set') return below ? `a list of at least ${n} item(s)` : `a list of at most ${n} item(s)`;
  if (origin === 'string') return below ? (n === '1' ? 'a non-empty string' : `a string of at least ${n} characters`) : `a string of at most ${n} characters`;
  const noun = isIntegerSchema(issue) ? 'an integer' : 'a number';
  const op = below ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
  return `${noun} ${op} ${n}`;
}

function knownKeys(issue: RawIssue): string[] {
  const inst = (issue as { inst?: { _zod?: { def?: { shape?: Record<string, unknown> } } } }).inst;
  return Object.keys(inst?._zod?.def?.shape ?? {});
}

function literalList(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return values.length === 1 ? JSON.stringify(values[0]) : `one of ${shown.join(', ')}`;
}

export function expectedPhrase(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number' && isIntegerSchema(issue)) return 'an integer';
      return TYPE_PHRASES[issue.expected] ?? `a ${issue.expected}`;
    case 'too_small':
      return boundPhrase(issue, issue.minimum, true);
    case 'too_big':
      return boundPhrase(issue, issue.maximum, false);
    case 'invalid_value':
      return literalList(issue.values);
    case 'invalid_format':
      if (issue.format === 'date') return 'a date YYYY-MM-DD';
      return issue.format === 'regex' ? `a string matching ${String(issue.pattern)}` : `a ${issue.format} string`;
    case 'unrecognized_keys': {
      const known = knownKeys(issue);
      return known.length > 0 ? `a known key (${known.join(', ')})` : 'no such key';
    }
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return 'a valid key';
    case 'invalid_union':
      return 'a valid value';
    default:
      return 'a valid value';
  }
}

/** Parse options every config schema is run with. */
export const PARSE_OPTIONS = { reportInput: true, error: expectedPhrase } as const;

type Issue = z.core.$ZodIssue;

/** A union branch whose issue sits at its own root is a "wrong shape" branch: the input was meant for another one. */
function isShapeMismatch(branch: readonly Issue[]): boolean {
  return branch.some(
    (i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'invalid_union'),
  );
}

function flatten(issue: Issue, prefix: KeyPath): { path: KeyPath; issue: Issue }[] {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (issue.code === 'invalid_union') {
    // Report the inner problem of the one branch the input was clearly meant for (e.g. `{requests: "x"}`
    // against `number | {requests}`); when no branch fits, the union's own phrase describes the choice.
    const fitting = issue.errors.filter((branch) => !isShapeMismatch(branch));
    const chosen = fitting[0];
    if (fitting.length >= 1 && chosen !== undefined) return chosen.flatMap((inner) => flatten(inner, path));
  }
  return [{ path, issue }];
}

/** Renders zod issues as config problems, one per offending key. */
export function problemsFromZod(file: string, raw: unknown, error: z.ZodError, prefix: KeyPath = []): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const top of error.issues) {
    for (const { path, issue } of flatten(top, prefix)) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(valueProblem(file, [...path, key], issue.message, valueAt(raw, [...path, key])));
        continue;
      }
      const input = 'input' in issue ? issue.input : valueAt(raw, path);
      // A record key that fails its own schema: that schema's phrase says what a key must look like.
      const expected = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
      problems.push(valueProblem(file, path, expected, input));
    }
  }
  return problems;
}
