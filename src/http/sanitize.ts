import { redactText } from './redact.js';

/** How deep a cause chain is copied; deeper links are dropped rather than risk an unredacted one. */
const MAX_CAUSE_DEPTH = 4;

/**
 * A redacted copy of a thrown value, safe to keep as an error's `cause`: same name and `code`,
 * message and stack redacted, nested causes copied the same way. The original (which may quote a
 * URL with a key) is not retained anywhere.
 */
export function sanitizeCause(thrown: unknown, secrets: readonly string[], depth = 0): Error {
  if (!(thrown instanceof Error)) return new Error(redactText(String(thrown), secrets));
  const nested = thrown.cause !== undefined && depth < MAX_CAUSE_DEPTH ? sanitizeCause(thrown.cause, secrets, depth + 1) : undefined;
  const copy = new Error(redactText(thrown.message, secrets), nested === undefined ? undefined : { cause: nested });
  copy.name = thrown.name;
  copy.stack = thrown.stack === undefined ? undefined : redactText(thrown.stack, secrets);
  const code = (thrown as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  return copy;
}

/** A one-line summary of zod issues: where and what, never the offending values. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], max = 5): string {
  const shown = issues.slice(0, max).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  const more = issues.length > max ? ` (+${issues.length - max} more)` : '';
  return `${shown.join('; ')}${more}`;
}
