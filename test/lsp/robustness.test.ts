/**
 * Never down: the LSP safety net (lsp/safe.ts) turns a feature's exception into
 * a logged `null`, skips requests cancelled while queued, and logs errors
 * without what their messages quote; files over maxFileSize are not checked.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import type { Connection } from 'vscode-languageserver';
import { describeError } from '../../server/src/errors';
import { guard, safeConnection } from '../../server/src/lsp/safe';
import { ROOT } from '../helpers';
import { startServer, TestClient } from './lspClient';

function logger() {
  const calls: Array<{ feature: string; uri: string; error: unknown }> = [];
  return { calls, log: (feature: string, uri: string, error: unknown) => void calls.push({ feature, uri, error }) };
}

test('guard: an exception in a handler becomes null and is logged with the uri', async () => {
  const { calls, log } = logger();
  const sync = guard('hover', (_params: unknown, _token?: unknown): null => {
    throw new TypeError('boom');
  }, log);
  assert.equal(sync({ textDocument: { uri: 'file:///a.yaml' } }, new CancellationTokenSource().token), null);
  const rejected = guard('completion', async (_params: unknown, _token?: unknown): Promise<null> => {
    throw new Error('async boom');
  }, log);
  assert.equal(await rejected({ textDocument: { uri: 'file:///b.yaml' } }, new CancellationTokenSource().token), null);
  assert.deepEqual(calls.map((c) => [c.feature, c.uri]), [['hover', 'file:///a.yaml'], ['completion', 'file:///b.yaml']]);
});

test('guard: deliberate ResponseErrors pass through; results pass unchanged', async () => {
  const { calls, log } = logger();
  const refuse = guard('prepareRename', (_params: unknown): null => {
    throw new ResponseError(LSPErrorCodes.RequestFailed, 'Nothing to rename here.');
  }, log);
  assert.throws(() => refuse({}), /Nothing to rename/);
  assert.deepEqual(guard('x', (p: { n: number }) => ({ n: p.n + 1 }), log)({ n: 1 }), { n: 2 });
  assert.deepEqual(await guard('x', async () => [1, 2], log)(), [1, 2]);
  assert.equal(calls.length, 0);
});

test('guard: a request cancelled while it waited is not run', async () => {
  const { log } = logger();
  let ran = 0;
  const handler = guard('completion', (_params: unknown, _token?: unknown): unknown => {
    ran++;
    return [];
  }, log);
  const source = new CancellationTokenSource();
  source.cancel();
  const r = handler({ textDocument: { uri: 'file:///c.yaml' } }, source.token);
  assert.ok(r instanceof ResponseError && r.code === LSPErrorCodes.RequestCancelled);
  assert.equal(ran, 0);
  // Cancelled while an async handler ran: answered as cancelled too.
  const late = new CancellationTokenSource();
  const slow = guard('hover', async (_params: unknown, _token?: unknown): Promise<unknown> => {
    late.cancel();
    return { contents: 'x' };
  }, log);
  const r2 = await slow({}, late.token);
  assert.ok(r2 instanceof ResponseError && r2.code === LSPErrorCodes.RequestCancelled);
});

test('safeConnection: handlers registered by feature modules are guarded, the rest is the connection', () => {
  const { calls, log } = logger();
  const registered: Record<string, (...a: unknown[]) => unknown> = {};
  const fake = {
    onHover: (h: (...a: unknown[]) => unknown) => void (registered.hover = h),
    onRequest: (_type: unknown, h: (...a: unknown[]) => unknown) => void (registered.request = h),
    onInitialize: (h: (...a: unknown[]) => unknown) => void (registered.initialize = h),
    console: { error: () => undefined },
  };
  const c = safeConnection(fake as unknown as Connection, log);
  c.onHover(() => {
    throw new Error('hover broke');
  });
  c.onRequest('kubeManifests/documentInfo', () => {
    throw new Error('info broke');
  });
  c.onInitialize(() => {
    throw new Error('init broke');
  });
  assert.equal(registered.hover({ textDocument: { uri: 'file:///h.yaml' } }), null);
  assert.equal(registered.request({ uri: 'file:///i.yaml' }), null);
  assert.throws(() => registered.initialize({}), /init broke/, 'initialize is not swallowed');
  assert.deepEqual(calls.map((x) => [x.feature, x.uri]), [['hover', 'file:///h.yaml'], ['kubeManifests/documentInfo', 'file:///i.yaml']]);
  assert.equal(c.console, fake.console);
});

test('describeError keeps the error and where it happened, never what its message quotes', () => {
  let error: unknown;
  try {
    JSON.parse('{"auths": {"registry": {"auth": "hunter2-secret-value"');
  } catch (e) {
    error = e;
  }
  const d = describeError(error);
  assert.match(d, /^SyntaxError: /);
  assert.match(d, / \| at /, 'stack frames are kept');
  assert.doesNotMatch(d, /hunter2/);
  assert.doesNotMatch(describeError(new Error(`bad value 'p4ssw0rd' in data`)), /p4ssw0rd/);
  assert.doesNotMatch(describeError(new Error(`token ${'A'.repeat(60)} rejected`)), /AAAA/);
});

let client: TestClient;
before(async () => {
  client = await startServer(ROOT, { settings: { maxFileSize: 4000 } });
});
after(async () => {
  await client.stop();
});

test('a file over kubeManifests.maxFileSize is not checked, with one message saying so; a smaller one is', async () => {
  const object = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\nprots: []\n`;
  const big = Array.from({ length: 80 }, (_, i) => object(i)).join('');
  assert.ok(big.length > 4000);
  const diags = await client.open('file:///ws/big.yaml', big);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'file-too-large');
  assert.equal(diags[0].severity, 3 /* Information */);
  assert.match(diags[0].message, /larger than kubeManifests\.maxFileSize \(4000 bytes\)/);
  assert.deepEqual(diags[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  const small = await client.open('file:///ws/small.yaml', object(1));
  assert.ok(small.some((d) => d.code === 'unknown-field'), 'a file under the limit is checked');
});

test('a hover contributor that throws loses nothing else, and is reported through onError (not swallowed)', async () => {
  const { createLanguageService } = await import('../../server/src/languageService');
  const { nodeSchemaReader } = await import('../../server/src/node/schemaFiles');
  const { HOVER_CONTRIBUTORS } = await import('../../server/src/rules/index');
  const { normalizeSettings } = await import('../../server/src/types');
  const path = await import('path');
  const reported: string[] = [];
  const ls = createLanguageService({ readSchema: nodeSchemaReader(path.join(ROOT, 'schemas')), onError: (feature, uri) => reported.push(`${feature} ${uri}`) });
  const broken = () => {
    throw new Error('contributor broke');
  };
  HOVER_CONTRIBUTORS.push(broken);
  try {
    const text = 'apiVersion: batch/v1\nkind: Job\nspec:\n  backoffLimit: 3\n';
    const h = ls.hover(ls.parse('file:///h.yaml', text), text.indexOf('backoffLimit') + 2, normalizeSettings({}));
    assert.match(h?.contents ?? '', /backoffLimit/, 'the field documentation still comes back');
    assert.deepEqual(reported, ['hover/hover contributor file:///h.yaml']);
  } finally {
    HOVER_CONTRIBUTORS.splice(HOVER_CONTRIBUTORS.indexOf(broken), 1);
  }
});
