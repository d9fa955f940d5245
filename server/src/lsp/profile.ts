/**
 * The server's own stopwatch, for `npm run bench`: with KUBE_MANIFESTS_PROFILE=1
 * every opened or changed document gets a record of where the time went until
 * its diagnostics were published (reading the message, updating the text, the
 * wait for the next tick, parsing, the rules, the cache, converting and
 * writing the diagnostics, garbage collection), plus the workspace index
 * update that follows. `kubeManifests/timings` answers the records closed
 * since the last request. Off, nothing here runs (one boolean test per change).
 *
 * Times are in milliseconds; `receivedAt` and `publishedAt` are wall-clock
 * (`performance.timeOrigin + performance.now()`), so a client on the same
 * machine can put its own send and receive times beside them.
 */
import { PerformanceObserver } from 'perf_hooks';
import { Connection, RequestType0 } from 'vscode-languageserver';
import { closeTimings, resumeTimings, TimingRecord } from '../timings';

export const PROFILING = process.env.KUBE_MANIFESTS_PROFILE === '1';

export interface ProfileRecord extends TimingRecord {
  /** Wall-clock time the last chunk of the message was read from the input. */
  receivedAt: number;
  /** Wall-clock time the diagnostics were written to the output. */
  publishedAt?: number;
  /** Garbage collection between receipt and publication (included in the phases it interrupted). */
  gcMs?: number;
}

export const TimingsRequest = new RequestType0<ProfileRecord[], void>('kubeManifests/timings');

/** Per request handled since the last ask: the wait from its input to its handler, and the handler's own time. */
export interface RequestTiming {
  method: string;
  /** From the last input read to the handler's start (decoding, the queue). */
  waitMs: number;
  /** The handler, until its result was ready. */
  handleMs: number;
}
export const RequestTimingsRequest = new RequestType0<RequestTiming[], void>('kubeManifests/requestTimings');

const wall = (): number => performance.timeOrigin + performance.now();

class Profiler {
  private lastInput = 0;
  private open = new Map<string, ProfileRecord & { updatedAt: number; checkAt: number }>();
  private closed: ProfileRecord[] = [];
  private gc: Array<[number, number]> = [];
  private last = new Map<string, ProfileRecord>();
  private requests: RequestTiming[] = [];

  install(connection: Connection): void {
    if (process.argv.includes('--stdio')) process.stdin.on('data', () => (this.lastInput = wall()));
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.gc.push([performance.timeOrigin + e.startTime, e.duration]);
      if (this.gc.length > 10_000) this.gc.splice(0, 5_000);
    });
    obs.observe({ entryTypes: ['gc'] });
    connection.onRequest(TimingsRequest, () => {
      const out = this.closed.splice(0);
      for (const r of out) r.gcMs = this.gc.filter(([t]) => t >= r.receivedAt && t <= r.publishedAt!).reduce((s, [, d]) => s + d, 0);
      return out;
    });
    connection.onRequest(RequestTimingsRequest, () => this.requests.splice(0));
  }

  /** Times a request handler (completion, hover). */
  request<H extends (...args: never[]) => unknown>(method: string, handler: H): H {
    return ((...args: never[]) => {
      const start = wall();
      const waitMs = start - (this.lastInput || start);
      const done = () => {
        this.requests.push({ method, waitMs, handleMs: wall() - start });
        if (this.requests.length > 10_000) this.requests.splice(0, 5_000);
      };
      const result = handler(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
      else done();
      return result;
    }) as H;
  }

  /** TextDocuments applies an open or a change of `uri` (`apply`): a record starts (a burst of changes keeps the first). */
  received(uri: string, version: number, apply: () => void): void {
    const prev = this.open.get(uri);
    const receivedAt = prev?.receivedAt ?? (this.lastInput || wall());
    const r = prev ?? { uri, version, phases: {}, receivedAt, updatedAt: 0, checkAt: 0 };
    r.version = version;
    r.phases['receive: read and decode the message'] ??= wall() - receivedAt;
    this.open.set(uri, r);
    const t = performance.now();
    apply();
    r.updatedAt = performance.now();
    add(r.phases, 'text update', r.updatedAt - t);
  }

  /** The check of `uri` starts (diagnostics.ts): the wait since the text update is the next-tick phase. */
  checkStarts(uri: string): void {
    const r = this.open.get(uri);
    if (!r) return;
    r.checkAt = performance.now();
    add(r.phases, 'next tick (a burst of changes is checked once)', r.checkAt - r.updatedAt);
  }

  /** The check resumes after waiting for the settings: the model's phases go to this record until `published`. */
  settled(uri: string): void {
    const r = this.open.get(uri);
    if (!r) return;
    add(r.phases, 'settings', performance.now() - r.checkAt);
    resumeTimings(r.phases);
  }

  /** The diagnostics of `uri` were handed to the connection: the record closes once they are encoded and written. */
  publishing(uri: string): void {
    closeTimings();
    const r = this.open.get(uri);
    if (!r) return;
    this.open.delete(uri);
    const t = performance.now();
    // Pipes are written synchronously on Linux: once the microtasks ran, the message is encoded and written.
    setImmediate(() => {
      add(r.phases, 'publish: encode and write', performance.now() - t);
      r.publishedAt = wall();
      this.closed.push(r);
      this.last.set(uri, r);
      if (this.closed.length > 1000) this.closed.splice(0, 500);
    });
  }

  /** Work that follows the publication (the workspace index update), added to the last record of `uri`. */
  after(uri: string, phase: string, ms: number): void {
    const r = this.last.get(uri);
    if (r) add(r.phases, phase, ms);
  }
}

function add(phases: Record<string, number>, phase: string, ms: number): void {
  phases[phase] = (phases[phase] ?? 0) + ms;
}

export const profiler = new Profiler();

/** The connection TextDocuments and the feature modules listen on: times opening and changing documents, completion and hover. */
export function profiledDocumentsConnection(connection: Connection): Connection {
  type Params = { textDocument: { uri: string; version: number | null } };
  const wrap = (register: (h: (p: Params) => void) => unknown) => (handler: (p: Params) => void) =>
    register((p) => profiler.received(p.textDocument.uri, p.textDocument.version ?? 0, () => handler(p)));
  return new Proxy(connection, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'onDidOpenTextDocument' || prop === 'onDidChangeTextDocument') return wrap(v.bind(target));
      if (prop === 'onCompletion' || prop === 'onHover') {
        const method = prop === 'onCompletion' ? 'completion' : 'hover';
        return (handler: (...a: never[]) => unknown) => v.call(target, profiler.request(method, handler));
      }
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
