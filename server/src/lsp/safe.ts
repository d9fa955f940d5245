/**
 * The safety net of the LSP layer. Every handler a feature module registers on
 * the connection runs inside `guard`: an exception is logged once per feature
 * and document (by `logError`, which never logs content) and answered with
 * `null`, which every LSP request accepts as "nothing here", so one broken
 * feature never takes the others or the server down. A request the client
 * cancelled while it waited in the queue is answered `RequestCancelled`
 * without running it (typing sends bursts of completion and hover requests
 * that are stale before they start). Exceptions that escape to the process
 * (a timer, a watcher callback, a forgotten promise) are logged, not fatal.
 * Errors are logged through `describeError` (errors.ts), which never logs
 * what an error message quotes.
 */
import { CancellationToken, Connection, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { describeError } from '../errors';

export { describeError };

export type ErrorLogger = (feature: string, uri: string, error: unknown) => void;

/** Registration methods whose handler must not be wrapped (their errors must reach the client as they are). */
const UNWRAPPED = new Set(['onInitialize', 'onInitialized', 'onShutdown', 'onExit', 'onProgress', 'onDidChangeTextDocument', 'onDidOpenTextDocument', 'onDidCloseTextDocument', 'onDidSaveTextDocument', 'onWillSaveTextDocument', 'onWillSaveTextDocumentWaitUntil']);

function featureName(method: string): string {
  const m = /^on(.*)$/.exec(method);
  const name = m ? m[1] : method;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function uriOf(params: unknown): string {
  const p = params as { textDocument?: { uri?: unknown }; uri?: unknown } | undefined;
  const uri = p?.textDocument?.uri ?? p?.uri;
  return typeof uri === 'string' ? uri : '';
}

function isToken(x: unknown): x is CancellationToken {
  return Boolean(x && typeof x === 'object' && typeof (x as CancellationToken).isCancellationRequested === 'boolean');
}

/** Wraps one handler: exceptions become `null` (logged), cancelled requests are not run. */
export function guard<H extends (...args: any[]) => any>(feature: string, handler: H, logError: ErrorLogger): H {
  const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  const wrapped = (...args: unknown[]) => {
    const token = args.find(isToken);
    if (token?.isCancellationRequested) return cancelled();
    const fail = (e: unknown) => {
      if (e instanceof ResponseError) throw e; // deliberate answers (e.g. "nothing to rename here")
      logError(feature, uriOf(args[0]), e);
      return null;
    };
    try {
      const result = handler(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        return (result as Promise<unknown>).then((r) => (token?.isCancellationRequested ? cancelled() : r), fail);
      }
      return result;
    } catch (e) {
      return fail(e);
    }
  };
  return wrapped as unknown as H;
}

/**
 * The connection as feature modules see it: `on<Request>(handler)` and
 * `onRequest(type, handler)` register guarded handlers. Everything else is
 * the connection itself.
 */
export function safeConnection(connection: Connection, logError: ErrorLogger): Connection {
  const wrapRegistration = (name: string, register: (...a: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const i = args.length - 1;
      if (typeof args[i] === 'function') {
        const feature = name === 'onRequest' ? String((args[0] as { method?: string })?.method ?? args[0]) : featureName(name);
        args[i] = guard(feature, args[i] as (...a: unknown[]) => unknown, logError);
      }
      return register(...args);
    };
  return new Proxy(connection, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && typeof value === 'function' && /^on[A-Z]/.test(prop) && !UNWRAPPED.has(prop)) {
        return wrapRegistration(prop, value.bind(target));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Logs what escapes every handler instead of letting the process die (a client would restart it, losing state). */
export function installProcessGuards(log: (message: string) => void): void {
  process.on('uncaughtException', (e) => log(`uncaught exception: ${describeError(e)}`));
  process.on('unhandledRejection', (e) => log(`unhandled promise rejection: ${describeError(e)}`));
}
