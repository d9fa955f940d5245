import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, hover } from '../helpers';

const deployment = dedent(`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    replicas: 3
    strategy:
      type: RollingUpdate
    template:
      spec:
        containers:
        - name: web
          image: nginx
`);

test('hover on a field shows description, type, default and a link', () => {
  const h = hover(deployment.replace('replicas', 're$0plicas'));
  assert.ok(h);
  assert.match(h, /\*\*replicas\*\*: integer/);
  assert.match(h, /desired pods/);
  assert.match(h, /Default: `1`/);
  assert.match(h, /kubernetes-api\/v1\.34\/#deployment-v1-apps/);
});

test('hover on a required field says so', () => {
  const h = hover(deployment.replace('- name: web', '- na$0me: web'));
  assert.match(h!, /\*required\*/);
});

test('hover on an enum value explains the values', () => {
  const h = hover(deployment.replace('type: RollingUpdate', 'type: Rolling$0Update'));
  assert.match(h!, /Recreate/);
  assert.match(h!, /Default: `RollingUpdate`/);
});

test('hover on kind says what it is for; on a removed apiVersion, since when', () => {
  assert.match(hover(deployment.replace('kind: Deployment', 'kind: Deplo$0yment'))!, /declarative updates for Pods/);
  const h = hover('apiVersion: batch/v1beta1\nkind: Cron$0Job\nmetadata:\n  name: x\n');
  assert.match(h!, /Removed.*1\.25.*batch\/v1/);
});

test('no hover outside Kubernetes objects', () => {
  assert.equal(hover('name: CI\non:\n  pu$0sh:\n'), undefined);
});
