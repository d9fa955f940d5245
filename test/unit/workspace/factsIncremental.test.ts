import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseManifestFile } from '../../../server/src/model/manifest';
import { extractFacts } from '../../../server/src/workspace/facts';

const text = `apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: x
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        env:
        - name: P
          valueFrom:
            secretKeyRef:
              name: db
              key: password
`;

test('facts reused after an edit in another section have the same spans as a fresh extraction', () => {
  const uri = 'file:///ws/app.yaml';
  const before = parseManifestFile(uri, text);
  extractFacts(before);
  const edited = text.replace('password: x', 'password: xyz-longer');
  const incremental = extractFacts(parseManifestFile(uri, edited, before));
  const fresh = extractFacts(parseManifestFile(uri, edited));
  assert.deepEqual(incremental, fresh);
  const ref = incremental.objects.find((o) => o.kind === 'Deployment')!.refs[0];
  assert.equal(edited.slice(ref.nameSpan[0], ref.nameSpan[1]), 'db');
  assert.equal(edited.slice(ref.keySpan![0], ref.keySpan![1]), 'password');
});
