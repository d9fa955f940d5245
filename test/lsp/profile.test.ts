/**
 * `npm run bench` reads where a check's time goes from the server itself: started with
 * KUBE_MANIFESTS_PROFILE=1, it answers `kubeManifests/timings` with one record per published
 * check (lsp/profile.ts); without it, the request does not exist.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ROOT } from '../helpers';
import { startServer } from './lspClient';

const doc = (replicas: number) => ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n', `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n`].join('---\n');
type Rec = { uri: string; version: number; phases: Record<string, number>; receivedAt: number; publishedAt: number };

test('a profiled server times the phases of the first check and of an edit', async () => {
  process.env.KUBE_MANIFESTS_PROFILE = '1';
  const client = await startServer(ROOT);
  delete process.env.KUBE_MANIFESTS_PROFILE;
  try {
    const uri = 'file:///tmp/profiled.yaml';
    await client.open(uri, doc(2));
    await client.change(uri, doc(3), 2);
    // the record of a check closes once its diagnostics are written: ask until both are there
    let records: Rec[] = [];
    for (let i = 0; i < 50 && records.length < 2; i++) records.push(...(await client.conn.sendRequest<Rec[]>('kubeManifests/timings')));
    const [open, edit] = records;
    assert.deepEqual([open.version, edit.version], [1, 2]);
    for (const r of records) {
      assert.ok(r.publishedAt >= r.receivedAt);
      for (const [phase, ms] of Object.entries(r.phases)) assert.ok(ms >= 0 && ms < 60_000, `${phase}: ${ms}`);
      assert.ok(r.phases['check: rules of the changed sections'] > 0);
      assert.ok(r.phases['text update'] >= 0);
    }
    assert.ok(open.phases['parse: the changed sections'] > 0);
    assert.ok(edit.phases['parse: the edit found, lines and sections moved'] >= 0);
  } finally {
    await client.stop();
  }
});

test('without KUBE_MANIFESTS_PROFILE the server keeps no timings', async () => {
  const client = await startServer(ROOT);
  try {
    await assert.rejects(client.conn.sendRequest('kubeManifests/timings'));
  } finally {
    await client.stop();
  }
});
