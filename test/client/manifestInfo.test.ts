// Unit tests of the client's cheap manifest sniffing (decides when the server starts; status fallback).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isHelmTemplatePath, looksLikeManifest, objectAt, objectIndexAt, objectsInText } from '../../client/src/manifestInfo';

test('looksLikeManifest: top-level apiVersion or kind, in any document of the stream', () => {
  assert.ok(looksLikeManifest('apiVersion: v1\nkind: Pod\n'));
  assert.ok(looksLikeManifest('# comment\n---\nkind: Service\n'));
  assert.ok(!looksLikeManifest('name: build\nsteps:\n  - run: make\n'));
  assert.ok(!looksLikeManifest('spec:\n  kind: nested\n'));
  assert.ok(!looksLikeManifest(''));
});

test('isHelmTemplatePath', () => {
  assert.ok(isHelmTemplatePath('/repo/charts/web/templates/deployment.yaml'));
  assert.ok(isHelmTemplatePath('/repo/charts/web/templates/sub/_helpers.tpl'));
  assert.ok(isHelmTemplatePath('C:\\repo\\chart\\templates\\svc.yml'));
  assert.ok(!isHelmTemplatePath('/repo/templates.yaml'));
  assert.ok(!isHelmTemplatePath('/repo/charts/web/values.yaml'));
});

const multi = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: "web"',
  '  labels:',
  '    name: not-this-one',
  '---',
  '# a Service',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '    namespace: prod',
  '    name: web-svc # trailing comment',
  '---',
  'just: data',
  '',
].join('\n');

test('objectsInText: kind, apiVersion and metadata.name of each document', () => {
  const objs = objectsInText(multi).map(({ apiVersion, kind, name }) => ({ apiVersion, kind, name }));
  assert.deepEqual(objs, [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    { apiVersion: 'v1', kind: 'Service', name: 'web-svc' },
  ]);
});

test('objectAt / objectIndexAt: the object whose document holds the offset', () => {
  assert.equal(objectAt(multi, 0)?.kind, 'Deployment');
  assert.equal(objectAt(multi, multi.indexOf('namespace'))?.kind, 'Service');
  assert.equal(objectIndexAt(multi, multi.indexOf('namespace')), 1);
  assert.equal(objectIndexAt(multi, multi.indexOf('just: data')), -1);
  assert.equal(objectAt('x: 1\n', 0), undefined);
});
