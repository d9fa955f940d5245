import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyAction, codeActions, dedent, diagnose, errorsOf, deploymentYaml } from '../../helpers';

const deployment = deploymentYaml();

/** Applies the action and checks the result has no errors. */
function fix(textWithCursor: string, title: string | RegExp, expected: string): void {
  const out = applyAction(textWithCursor, title);
  assert.equal(out, expected);
  assert.deepEqual(errorsOf(out), [], 'the fixed text has no errors');
}

test('unknown field with a suggestion: Rename, preferred', () => {
  const text = deployment.replace('image: nginx:1.27', 'image: nginx:1.27\n        pr$0ots:\n        - containerPort: 80');
  const { actions } = codeActions(text);
  assert.equal(actions[0].title, 'Rename to ports');
  assert.equal(actions[0].isPreferred, true);
  assert.equal(actions[actions.length - 1].title, 'Ignore unknown-field on this line');
  assert.ok(!actions[actions.length - 1].isPreferred);
  fix(text, 'Rename to ports', text.replace('pr$0ots', 'ports'));
});

test('containers under a CronJob jobTemplate.spec move into template.spec, re-indented', () => {
  const text = dedent(`
    apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: nightly
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: OnFailure
          cont$0ainers:
          - name: job
            image: busybox:1.36
            command:
            - date
  `);
  const p = diagnose(text.replace('$0', '')).find((x) => x.code === 'unknown-field');
  assert.ok(p, 'the schema reports it');
  fix(text, /^Move containers under template\.spec/, dedent(`
    apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: nightly
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers:
              - name: job
                image: busybox:1.36
                command:
                - date
  `));
});

test('wrong apiVersion: set the right one', () => {
  const text = dedent(`
    apiVersion: v$01
    kind: ClusterRoleBinding
    metadata:
      name: read
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: view
    subjects:
    - kind: User
      name: jane
      apiGroup: rbac.authorization.k8s.io
  `);
  fix(text, 'Change apiVersion to rbac.authorization.k8s.io/v1', text.replace('$0', '').replace('apiVersion: v1', 'apiVersion: rbac.authorization.k8s.io/v1'));
});

test('missing apiVersion: add it above kind', () => {
  const text = 'kind: Config$0Map\nmetadata:\n  name: c\n';
  fix(text, 'Add apiVersion: v1', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
});

test('removed extensions/v1beta1 Ingress migrates to networking.k8s.io/v1 with service.name/port and pathType', () => {
  const text = dedent(`
    apiVersion: extensions/v1be$0ta1
    kind: Ingress
    metadata:
      name: web
    spec:
      backend:
        serviceName: default
        servicePort: 80
      rules:
      - host: example.com
        http:
          paths:
          - path: /
            backend:
              serviceName: web
              servicePort: 8080
          - path: /api
            backend:
              serviceName: api
              servicePort: http
  `);
  fix(text, /^Migrate to networking\.k8s\.io\/v1/, dedent(`
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
    spec:
      defaultBackend:
        service:
          name: default
          port:
            number: 80
      rules:
      - host: example.com
        http:
          paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 8080
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  name: http
  `));
});

test('removed batch/v1beta1 CronJob migrates to batch/v1', () => {
  const text = dedent(`
    apiVersion: batch/v1bet$0a1
    kind: CronJob
    metadata:
      name: nightly
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers:
              - name: job
                image: busybox:1.36
  `);
  fix(text, 'Migrate to apiVersion batch/v1', text.replace('$0', '').replace('batch/v1beta1', 'batch/v1'));
});

test('invalid enum: change to the suggestion', () => {
  const text = deployment.replace('image: nginx:1.27', 'image: nginx:1.27\n        imagePullPolicy: alw$0ays');
  fix(text, 'Change to Always', deployment.replace('image: nginx:1.27', 'image: nginx:1.27\n        imagePullPolicy: Always'));
});

test('invalid type: quote a number where a string is expected, unquote a number', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: 80$0\n';
  fix(cm, /^Quote 80/, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  port: "80"\n');
  const d = deployment.replace('spec:\n  selector', 'spec:\n  replicas: "3$0"\n  selector');
  fix(d, /^Remove the quotes/, deployment.replace('spec:\n  selector', 'spec:\n  replicas: 3\n  selector'));
});

test('duplicate key: remove the first', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n  b: "2"\n  a$0: "3"\n';
  fix(text, /^Remove the first a/, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  b: "2"\n  a: "3"\n');
});

test('Ignore <rule> on this line adds a suppression comment that silences it', () => {
  const text = deployment.replace('image: nginx:1.27', 'image: nginx:1.27\n        pr$0ots: []');
  const out = applyAction(text, 'Ignore unknown-field on this line');
  assert.equal(out, text.replace('        pr$0ots', '        # kube-manifests-ignore unknown-field\n        prots'));
  assert.deepEqual(diagnose(out), []);
});

test('actions appear only where they apply: none on a valid Deployment field', () => {
  const { actions } = codeActions(deployment.replace('image: nginx', 'image: ng$0inx'));
  assert.deepEqual(actions.map((a) => a.title), []);
});
