/**
 * One problem per mistake (issue #12): a misspelled or misplaced field gives the unknown-field
 * problem with its "did you mean" or "belongs under", at the key, and nothing that only follows
 * from the field being absent (the schema's missing-required, a rule family's "needs X"). Problems
 * that are not consequences of the mistake are kept.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dedent, diagnose, service, ShownProblem } from '../../helpers';
import { DEFAULT_SETTINGS } from '../../../server/src/types';

/** The document's problems as `code text`, so a failure shows everything that came out. */
function shown(ps: ShownProblem[]): string[] {
  return ps.map((p) => `${p.code} ${JSON.stringify(p.text)}`);
}

/** Asserts the only problem is the unknown field `key` (on its key, on `line`), with the hint. */
function onlyTheMistake(yaml: string, key: string, hint: RegExp, line?: number): ShownProblem {
  const text = dedent(yaml);
  const ps = diagnose(text);
  assert.deepEqual(shown(ps), [`unknown-field ${JSON.stringify(key)}`]);
  assert.match(ps[0].message, hint);
  const expectedLine = line ?? text.split('\n').findIndex((l) => new RegExp(`^\\s*(- )?${key.replace(/\./g, '\\.')}:`).test(l)) + 1;
  assert.equal(Number(ps[0].at.split(':')[0]), expectedLine, `the problem sits on the line of ${key}`);
  return ps[0];
}

const didYouMean = (field: string) => new RegExp(`did you mean "${field}"\\?`);
const belongsUnder = (where: string) => new RegExp(`it belongs under ${where.replace(/[.[\]]/g, '\\$&')}\\.$`);

// ---- Services and Ingresses (services.ts, blueGreen.ts) ----

test('Service: "prots" is one problem, not also "needs at least one port"', () => {
  onlyTheMistake(`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector:
        app: web
      prots:
      - port: 80
  `, 'prots', didYouMean('ports'));
});

test('Service: a misspelled selector next to blue/green Deployments is one problem', () => {
  const colored = (color: string) => `
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web-${color}
    spec:
      selector:
        matchLabels:
          app: web
          color: ${color}
      template:
        metadata:
          labels:
            app: web
            color: ${color}
        spec:
          containers:
          - name: web
            image: nginx:1.27
  `;
  onlyTheMistake(`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selecter:
        app: web
      ports:
      - port: 80
    ${colored('blue')}
    ${colored('green')}
  `.replace(/\n {4}(?= {4}---)/g, '\n'), 'selecter', didYouMean('selector'));
});

test('Service: "clusterIp: None" (headless, no ports) is one problem', () => {
  onlyTheMistake(`
    apiVersion: v1
    kind: Service
    metadata:
      name: db
    spec:
      clusterIp: None
      selector:
        app: db
  `, 'clusterIp', didYouMean('clusterIP'));
});

test('Service: a misspelled type is one problem, not also complaints that follow from the default type', () => {
  onlyTheMistake(`
    apiVersion: v1
    kind: Service
    metadata:
      name: db
    spec:
      tpye: ExternalName
      externalName: db.example.com
  `, 'tpye', didYouMean('type'));
  onlyTheMistake(`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      tpye: NodePort
      selector:
        app: web
      ports:
      - port: 80
        nodePort: 30080
  `, 'tpye', didYouMean('type'));
});

test('Service: a misspelled externalName is one problem', () => {
  onlyTheMistake(`
    apiVersion: v1
    kind: Service
    metadata:
      name: db
    spec:
      type: ExternalName
      externalNme: db.example.com
  `, 'externalNme', didYouMean('externalName'));
});

test('Service: a misspelled port name among several ports is one problem', () => {
  onlyTheMistake(`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector:
        app: web
      ports:
      - nmae: http
        port: 80
      - name: https
        port: 443
  `, 'nmae', didYouMean('name'));
});

test('Service: the typo and an unrelated wrong value are both reported, and only they', () => {
  const ps = diagnose(dedent(`
    apiVersion: v1
    kind: Service
    metadata:
      name: Web
    spec:
      type: ClusterIp
      selector:
        app: web
      prots:
      - port: 80
  `));
  assert.deepEqual(shown(ps), ['invalid-name "Web"', 'invalid-enum "ClusterIp"', 'unknown-field "prots"']);
});

const ingress = (spec: string) => `
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
    spec:
${dedent(spec).split('\n').map((l) => (l ? '      ' + l : l)).join('\n')}
`;

test('Ingress: misspelled rules or defaultBackend is one problem, not also "routes nothing"', () => {
  onlyTheMistake(ingress(`
    rulse:
    - host: example.com
      http:
        paths:
        - path: /
          pathType: Prefix
          backend:
            service:
              name: web
              port:
                number: 80
  `), 'rulse', didYouMean('rules'));
  onlyTheMistake(ingress(`
    defaultBackand:
      service:
        name: web
        port:
          number: 80
  `), 'defaultBackand', didYouMean('defaultBackend'));
});

const ingressPath = (path: string) => ingress(`
  rules:
  - host: example.com
    http:
      paths:
${dedent(path).split('\n').map((l) => (l ? '      ' + l : l)).join('\n')}
`);

test('Ingress: a misspelled backend, pathType, path, service or port number is one problem', () => {
  onlyTheMistake(ingressPath(`
    - path: /
      pathType: Prefix
      backnd:
        service:
          name: web
          port:
            number: 80
  `), 'backnd', didYouMean('backend'));
  onlyTheMistake(ingressPath(`
    - path: /
      pathTyp: Prefix
      backend:
        service:
          name: web
          port:
            number: 80
  `), 'pathTyp', didYouMean('pathType'));
  onlyTheMistake(ingressPath(`
    - paht: /api
      pathType: Prefix
      backend:
        service:
          name: web
          port:
            number: 80
  `), 'paht', didYouMean('path'));
  onlyTheMistake(ingressPath(`
    - path: /
      pathType: Prefix
      backend:
        servce:
          name: web
          port:
            number: 80
  `), 'servce', didYouMean('service'));
  onlyTheMistake(ingressPath(`
    - path: /
      pathType: Prefix
      backend:
        service:
          name: web
          port:
            nubmer: 80
  `), 'nubmer', didYouMean('number'));
});

test('Ingress: a path whose pathType is misspelled does not hide another path that has none', () => {
  const text = dedent(ingressPath(`
    - path: /
      pathTyp: Prefix
      backend:
        service:
          name: web
          port:
            number: 80
    - path: /api
      backend:
        service:
          name: api
          port:
            number: 80
  `));
  const ps = diagnose(text);
  assert.deepEqual(shown(ps), ['unknown-field "pathTyp"', 'ingress-path-type "path"']);
  assert.equal(Number(ps[1].at.split(':')[0]), text.split('\n').findIndex((l) => l.includes('path: /api')) + 1);
});

// ---- Deployments (rollout.ts) ----

test('Deployment: a misspelled selector or template is one problem', () => {
  onlyTheMistake(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selectr:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: web
            image: nginx:1.27
  `, 'selectr', didYouMean('selector'));
  onlyTheMistake(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels:
          app: web
      tempalte:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: web
            image: nginx:1.27
  `, 'tempalte', didYouMean('template'));
});

test('Deployment: containers directly under spec is one problem that says where they belong', () => {
  onlyTheMistake(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels:
          app: web
      containers:
      - name: web
        image: nginx:1.27
  `, 'containers', belongsUnder('spec.template.spec'));
});

test('Deployment: containers directly under the template (one level too high) is one problem', () => {
  onlyTheMistake(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        containers:
        - name: web
          image: nginx:1.27
  `, 'containers', belongsUnder('spec.template.spec'));
});

test('Deployment: misspelled template labels or matchLabels is one problem, not a selector mismatch', () => {
  onlyTheMistake(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          lables:
            app: web
        spec:
          containers:
          - name: web
            image: nginx:1.27
  `, 'lables', didYouMean('labels'));
  onlyTheMistake(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabel:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: web
            image: nginx:1.27
  `, 'matchLabel', didYouMean('matchLabels'));
});

test('Deployment: a misspelled selector does not hide an unrelated rollout problem', () => {
  const ps = diagnose(dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
      strategy:
        rollingUpdate:
          maxSurge: 0
          maxUnavailable: 0
      selectr:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: web
            image: nginx:1.27
  `));
  assert.deepEqual(shown(ps), ['deployment-rollout-zero "0"', 'unknown-field "selectr"']);
});

// ---- Jobs and CronJobs (jobs.ts, cronjobs.ts) ----

const job = (spec: string) => `
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: once
    spec:
${dedent(spec).split('\n').map((l) => (l ? '      ' + l : l)).join('\n')}
`;

test('Job: a misspelled template, containers or restartPolicy is one problem', () => {
  onlyTheMistake(job(`
    templat:
      spec:
        restartPolicy: Never
        containers:
        - name: job
          image: busybox:1.36
  `), 'templat', didYouMean('template'));
  onlyTheMistake(job(`
    template:
      spec:
        restartPolicy: Never
        containres:
        - name: job
          image: busybox:1.36
  `), 'containres', didYouMean('containers'));
  onlyTheMistake(job(`
    template:
      spec:
        restartPolcy: Never
        containers:
        - name: job
          image: busybox:1.36
  `), 'restartPolcy', didYouMean('restartPolicy'));
});

test('Job: a misspelled completions or selector is one problem, not the Indexed or manualSelector follow-up', () => {
  onlyTheMistake(job(`
    completionMode: Indexed
    completion: 3
    template:
      spec:
        restartPolicy: Never
        containers:
        - name: job
          image: busybox:1.36
  `), 'completion', didYouMean('completions'));
  onlyTheMistake(job(`
    manualSelector: true
    selectr:
      matchLabels:
        app: batch
    template:
      metadata:
        labels:
          app: batch
      spec:
        restartPolicy: Never
        containers:
        - name: job
          image: busybox:1.36
  `), 'selectr', didYouMean('selector'));
});

test('Job: a misspelled restartPolicy does not hide an unrelated Job problem', () => {
  const ps = diagnose(dedent(job(`
    backoffLimit: -1
    template:
      spec:
        restartPolcy: Never
        containers:
        - name: job
          image: busybox:1.36
  `)));
  assert.deepEqual(shown(ps), ['job-field-range "-1"', 'unknown-field "restartPolcy"']);
});

const cronJob = (spec: string) => `
    apiVersion: batch/v1
    kind: CronJob
    metadata:
      name: nightly
    spec:
${dedent(spec).split('\n').map((l) => (l ? '      ' + l : l)).join('\n')}
`;

test('CronJob: a misspelled schedule or jobTemplate is one problem', () => {
  onlyTheMistake(cronJob(`
    schedul: "0 0 * * *"
    jobTemplate:
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: job
              image: busybox:1.36
  `), 'schedul', didYouMean('schedule'));
  onlyTheMistake(cronJob(`
    schedule: "0 0 * * *"
    jobTemplat:
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: job
              image: busybox:1.36
  `), 'jobTemplat', didYouMean('jobTemplate'));
});

test('CronJob: a pod spec directly under jobTemplate.spec says where it belongs, without follow-ups', () => {
  onlyTheMistake(cronJob(`
    schedule: "0 0 * * *"
    jobTemplate:
      spec:
        containers:
        - name: job
          image: busybox:1.36
  `), 'containers', belongsUnder('spec.jobTemplate.spec.template.spec'));
  // The whole pod spec (containers and restartPolicy) is one misplaced block: one problem, nothing else,
  // and its quick fix moves both keys there.
  const text = dedent(cronJob(`
    schedule: "0 0 * * *"
    jobTemplate:
      spec:
        restartPolicy: Never
        containers:
        - name: job
          image: busybox:1.36
  `));
  const ps = diagnose(text);
  assert.deepEqual(shown(ps), ['unknown-field "restartPolicy"']);
  assert.match(ps[0].message, /^"restartPolicy" and "containers" are not fields of JobSpec \(spec\.jobTemplate\.spec\); they belong under spec\.jobTemplate\.spec\.template\.spec\.$/);
  const ls = service();
  const file = ls.parse('file:///w/cron.yaml', text);
  const problems = ls.validate(file, DEFAULT_SETTINGS);
  const fix = ls.codeActions(file, { start: problems[0].start, end: problems[0].end }, problems, DEFAULT_SETTINGS).find((a) => /^Move restartPolicy, containers under/.test(a.title));
  assert.ok(fix, 'the move offered');
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  let moved = text;
  for (const e of edits) moved = moved.slice(0, e.start) + e.newText + moved.slice(e.end);
  assert.deepEqual(diagnose(moved).map((p) => p.code), [], moved);
  assert.match(moved, /jobTemplate:\n {4}spec:\n {6}template:\n {8}spec:\n {10}restartPolicy: Never\n {10}containers:\n {10}- name: job\n {12}image: busybox:1\.36/, moved);
});

test('CronJob: a misspelled restartPolicy in the job template is one problem', () => {
  onlyTheMistake(cronJob(`
    schedule: "0 0 * * *"
    jobTemplate:
      spec:
        template:
          spec:
            restartPolcy: Never
            containers:
            - name: job
              image: busybox:1.36
  `), 'restartPolcy', didYouMean('restartPolicy'));
});

// ---- RBAC (rbac.ts) ----

test('RoleBinding: a misspelled roleRef, roleRef.name, subjects or subject kind is one problem', () => {
  const binding = (body: string) => `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: read
      namespace: team-a
${dedent(body).split('\n').map((l) => (l ? '    ' + l : l)).join('\n')}
`;
  onlyTheMistake(binding(`
    roleRf:
      apiGroup: rbac.authorization.k8s.io
      kind: Role
      name: reader
    subjects:
    - kind: ServiceAccount
      name: app
  `), 'roleRf', didYouMean('roleRef'));
  onlyTheMistake(binding(`
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: Role
      nme: reader
    subjects:
    - kind: ServiceAccount
      name: app
  `), 'nme', didYouMean('name'));
  onlyTheMistake(binding(`
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: Role
      name: reader
    subject:
    - kind: ServiceAccount
      name: app
  `), 'subject', didYouMean('subjects'));
  onlyTheMistake(binding(`
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: Role
      name: reader
    subjects:
    - knd: ServiceAccount
      name: app
  `), 'knd', didYouMean('kind'));
});

test('ClusterRoleBinding: roleRef.name one level too high belongs under roleRef (metadata has its name), one problem', () => {
  onlyTheMistake(`
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: read
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
    name: reader
    subjects:
    - kind: ServiceAccount
      name: app
      namespace: team-a
  `, 'name', belongsUnder('roleRef'), 8);
});

test('ClusterRoleBinding: a misspelled subject namespace is one problem, not "needs a namespace"', () => {
  onlyTheMistake(`
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: read
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: reader
    subjects:
    - kind: ServiceAccount
      name: app
      namspace: team-a
  `, 'namspace', didYouMean('namespace'));
});

test('Role: misspelled verbs, apiGroups or resources is one problem, not the rule-shape follow-up', () => {
  const role = (rule: string) => `
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata:
      name: reader
      namespace: team-a
    rules:
${dedent(rule).split('\n').map((l) => (l ? '    ' + l : l)).join('\n')}
`;
  onlyTheMistake(role(`
    - apiGroups: [""]
      resources: [pods]
      verb: [get, list]
  `), 'verb', didYouMean('verbs'));
  onlyTheMistake(role(`
    - apiGroup: [""]
      resources: [pods]
      verbs: [get, list]
  `), 'apiGroup', didYouMean('apiGroups'));
  onlyTheMistake(role(`
    - apiGroups: [""]
      resource: [pods]
      verbs: [get, list]
  `), 'resource', didYouMean('resources'));
});

// ---- Secrets (secrets.ts) ----

test('Secret: a misspelled type, data, stringData or annotations is one problem, not "needs the keys"', () => {
  const secret = (body: string) => `
    apiVersion: v1
    kind: Secret
${dedent(body).split('\n').map((l) => (l ? '    ' + l : l)).join('\n')}
`;
  onlyTheMistake(secret(`
    metadata:
      name: tls
    tpye: kubernetes.io/tls
    data:
      tls.crt: aGVsbG8=
  `), 'tpye', didYouMean('type'));
  onlyTheMistake(secret(`
    metadata:
      name: tls
    type: kubernetes.io/tls
    dat:
      tls.crt: aGVsbG8=
      tls.key: aGVsbG8=
  `), 'dat', didYouMean('data'));
  onlyTheMistake(secret(`
    metadata:
      name: registry
    type: kubernetes.io/dockerconfigjson
    stringDat:
      .dockerconfigjson: '{"auths": {}}'
  `), 'stringDat', didYouMean('stringData'));
  onlyTheMistake(secret(`
    metadata:
      name: token
      anotations:
        kubernetes.io/service-account.name: app
    type: kubernetes.io/service-account-token
  `), 'anotations', didYouMean('annotations'));
});

// ---- Pod specs, containers, probes (podSpec.ts, probes.ts, names.ts) ----

const pod = (containers: string, extra = '') => `
    apiVersion: v1
    kind: Pod
    metadata:
      name: web
    spec:
      containers:
${dedent(containers).split('\n').map((l) => (l ? '      ' + l : l)).join('\n')}
${dedent(extra).split('\n').map((l) => (l ? '      ' + l : l)).join('\n')}
`;

test('Container: a misspelled name or image is one problem', () => {
  onlyTheMistake(pod(`
    - nme: web
      image: nginx:1.27
  `), 'nme', didYouMean('name'));
  onlyTheMistake(pod(`
    - name: web
      imag: nginx:1.27
  `), 'imag', didYouMean('image'));
});

test('Probes: a misspelled handler, ports list or port name is one problem, not "no check" or "not a port name"', () => {
  onlyTheMistake(pod(`
    - name: web
      image: nginx:1.27
      readinessProbe:
        httpGte:
          path: /
          port: 80
  `), 'httpGte', didYouMean('httpGet'));
  onlyTheMistake(pod(`
    - name: web
      image: nginx:1.27
      prots:
      - name: http
        containerPort: 80
      readinessProbe:
        httpGet:
          path: /
          port: http
  `), 'prots', didYouMean('ports'));
  onlyTheMistake(pod(`
    - name: web
      image: nginx:1.27
      ports:
      - nmae: http
        containerPort: 80
      livenessProbe:
        tcpSocket:
          port: http
  `), 'nmae', didYouMean('name'));
  onlyTheMistake(pod(`
    - name: web
      image: nginx:1.27
      lifecycle:
        preStop:
          exce:
            command: [sleep, "5"]
  `), 'exce', didYouMean('exec'));
});

test('Probes: a misspelled timing field is one problem, not "liveness is identical to readiness"', () => {
  onlyTheMistake(pod(`
    - name: web
      image: nginx:1.27
      readinessProbe:
        httpGet:
          path: /
          port: 80
      livenessProbe:
        httpGet:
          path: /
          port: 80
        failureThresold: 6
  `), 'failureThresold', didYouMean('failureThreshold'));
});

test('Probes: a misspelled readinessProbe or startupProbe is one problem, not "missing probe"', () => {
  const ps = diagnose(dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
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
            image: nginx:1.27
            ports:
            - containerPort: 80
            readinesProbe:
              httpGet:
                path: /
                port: 80
            livenessProbe:
              httpGet:
                path: /
                port: 80
              periodSeconds: 5
            startupProb:
              httpGet:
                path: /
                port: 80
              failureThreshold: 30
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector:
        app: web
      ports:
      - port: 80
  `));
  assert.deepEqual(shown(ps), ['unknown-field "readinesProbe"', 'unknown-field "startupProb"']);
});

test('Volumes and env: misspelled volumes, volume name, secretName, valueFrom source or envFrom source is one problem', () => {
  const mounts = `
    - name: web
      image: nginx:1.27
      volumeMounts:
      - name: config
        mountPath: /etc/app
  `;
  onlyTheMistake(pod(mounts, `
    volumse:
    - name: config
      configMap:
        name: app
  `), 'volumse', didYouMean('volumes'));
  onlyTheMistake(pod(mounts, `
    volumes:
    - nmae: config
      configMap:
        name: app
  `), 'nmae', didYouMean('name'));
  onlyTheMistake(pod(mounts, `
    volumes:
    - name: config
      secret:
        secretNme: app
  `), 'secretNme', didYouMean('secretName'));
  onlyTheMistake(pod(`
    - name: web
      image: nginx:1.27
      env:
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRf:
            name: db
            key: password
  `), 'secretKeyRf', didYouMean('secretKeyRef'));
  onlyTheMistake(pod(`
    - name: web
      image: nginx:1.27
      envFrom:
      - configMapRf:
          name: app
  `), 'configMapRf', didYouMean('configMapRef'));
});

test('A misspelled volume name does not hide a mount of a volume that really is not declared', () => {
  const ps = diagnose(dedent(pod(`
    - name: web
      image: nginx:1.27
      volumeMounts:
      - name: config
        mountPath: /etc/app
      - name: cache
        mountPath: /var/cache
  `, `
    volumes:
    - nmae: config
      configMap:
        name: app
  `)));
  assert.deepEqual(shown(ps), ['volume-mount-undeclared "cache"', 'unknown-field "nmae"']);
});

test('Names: a misspelled metadata or metadata.name is one problem', () => {
  onlyTheMistake(`
    apiVersion: v1
    kind: ConfigMap
    metdata:
      name: app
    data:
      mode: fast
  `, 'metdata', didYouMean('metadata'));
  onlyTheMistake(`
    apiVersion: batch/v1
    kind: Job
    metadata:
      nmae: once
    spec:
      completionMode: Indexed
      completions: 3
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: job
            image: busybox:1.36
  `, 'nmae', didYouMean('name'));
});

test('A key that is really a duplicate (the field it resembles is present) is reported alone and keeps the real problems', () => {
  // `prots` next to `ports`: nothing is absent, so the problems of ports stay.
  const ps = diagnose(dedent(`
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector:
        app: web
      ports:
      - port: 70000
      prots:
      - port: 80
  `));
  assert.deepEqual(shown(ps), ['service-port "70000"', 'unknown-field "prots"']);
});

// ---- across objects: a Service reading a Deployment's container port names ----

const portTypo = (value: string) => dedent(`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
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
          ports:
          - containerPort: 8080
            nmae: ${value}
  ---
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: web
    ports:
    - port: 80
      targetPort: http
`);

test('a misspelled container port name is one problem, not also the Service\'s "targetPort is not a port name"', () => {
  const ps = diagnose(portTypo('http'));
  assert.deepEqual(shown(ps), ['unknown-field "nmae"']);
  assert.match(ps[0].message, didYouMean('name'));
});

test('the misspelt port name explains only the targetPort it wrote; another value still leaves the Service pointing nowhere, also after an edit', () => {
  assert.deepEqual(shown(diagnose(portTypo('web'))), ['unknown-field "nmae"', 'service-target-port-name "http"']);
  // incrementally: the cached Service problem must follow the Deployment's edit in another section
  const ls = service();
  const uri = 'file:///w/port.yaml';
  const first = ls.parse(uri, portTypo('http'));
  assert.deepEqual(ls.validate(first, DEFAULT_SETTINGS).map((p) => p.code), ['unknown-field']);
  const second = ls.parse(uri, portTypo('web'), first);
  assert.deepEqual(ls.validate(second, DEFAULT_SETTINGS).map((p) => p.code), ['unknown-field', 'service-target-port-name']);
});
