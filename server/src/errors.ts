/**
 * Errors as the logs show them. Error messages can quote input (`JSON.parse`
 * puts the text it failed on in its message, and a rule might decode a Secret
 * value), and logs end up in bug reports and CI output: `describeError` keeps
 * the error's name, its message with anything quoted blanked, and the first
 * stack frames (function, file, line), never the document's content.
 */

/** A one-line description of an error for logs: name, message with quoted parts blanked, first stack frames. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? 'a thrown string' : `a thrown ${typeof error}`;
  const message = scrub(error.message);
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 4)
    .map((l) => l.trim());
  return [`${error.name}: ${message}`, ...frames].join(' | ');
}

/** Blanks quoted text and long runs of non-space (values), keeps the words around them. */
export function scrub(message: string): string {
  return message
    .split('\n')[0]
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '"…"')
    .replace(/\S{41,}/g, '…')
    .slice(0, 200);
}

type Sink = (where: string, error: unknown) => void;
let sink: Sink | undefined;

/**
 * Runs `fn` with a sink for the exceptions that parts of a feature catch so
 * the rest of its results still come back (a hover contributor, a completion
 * contributor, one quick fix): the language service's guard installs one that
 * reports them through `onError`, so they are logged (and fuzzed) instead of
 * silently lost. Synchronous: the sink is the caller's for the duration of `fn`.
 */
export function withErrorSink<T>(s: Sink, fn: () => T): T {
  const previous = sink;
  sink = s;
  try {
    return fn();
  } finally {
    sink = previous;
  }
}

/** Reports an exception that was caught and recovered from (`where`: which part, e.g. `hover contributor`). */
export function caught(where: string, error: unknown): void {
  sink?.(where, error);
}
