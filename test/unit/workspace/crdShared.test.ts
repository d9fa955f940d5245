/**
 * No false errors on real CRDs: every CRD found under ../shared (the
 * cert-manager chart's, rendered as `helm template --set crds.enabled=true`
 * renders them) and the prometheus-operator fixture, with every custom
 * resource of those kinds in ../shared/corpus and in the rendered chart.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, dedent, workspace } from '../../helpers';
import { helmTemplate } from '../../../server/src/helm/index';
import type { ChartFile } from '../../../server/src/helm/index';

const SHARED = path.join(ROOT, '..', 'shared');
const CERT_MANAGER = path.join(SHARED, 'helm-charts', 'cert-manager', 'cert-manager');
const CORPUS = path.join(SHARED, 'corpus');
const FIXTURE = path.join(ROOT, 'test/unit/workspace/fixtures/prometheus-operator-crds.yaml');

function readChart(dir: string): ChartFile[] {
  const out: ChartFile[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const a = path.join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(a, r);
      else out.push({ path: r, data: new Uint8Array(fs.readFileSync(a)) });
    }
  };
  walk(dir, '');
  return out;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const a = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(a));
    else if (/\.ya?ml$/.test(e.name)) out.push(a);
  }
  return out;
}

/** The documents of a multi-document YAML text. */
const documents = (text: string): string[] => text.split(/^---\s*$/m).filter((d) => /^kind:/m.test(d));

function crdKinds(text: string): Array<{ group: string; kind: string }> {
  return documents(text)
    .filter((d) => /^kind: CustomResourceDefinition\s*$/m.test(d))
    .map((d) => ({ group: /^  group: (\S+)/m.exec(d)?.[1] ?? '', kind: /^    kind: (\S+)/m.exec(d)?.[1] ?? '' }));
}

const errorsAndWarnings = (ps: Array<{ severity: string }>) => ps.filter((p) => p.severity === 'error' || p.severity === 'warning');

test('the CRDs under ../shared and the custom resources of the corpus and the charts: no errors, no warnings', { skip: !fs.existsSync(CERT_MANAGER) && 'no ../shared' }, () => {
  const rendered = helmTemplate(readChart(CERT_MANAGER), { set: ['crds.enabled=true', 'prometheus.servicemonitor.enabled=true'] });
  assert.equal(rendered.error, undefined);
  const crdDocs = documents(rendered.output).filter((d) => /^kind: CustomResourceDefinition\s*$/m.test(d));
  assert.ok(crdDocs.length >= 6, `cert-manager renders its CRDs (${crdDocs.length})`);
  const fixture = fs.readFileSync(FIXTURE, 'utf8');
  const files: Record<string, string> = { 'crds/cert-manager.yaml': crdDocs.join('\n---\n'), 'crds/prometheus-operator.yaml': fixture };
  const kinds = [...crdKinds(files['crds/cert-manager.yaml']), ...crdKinds(fixture)];
  assert.ok(kinds.some((k) => k.kind === 'Issuer') && kinds.some((k) => k.kind === 'ServiceMonitor'), JSON.stringify(kinds));
  const isCustom = (doc: string): boolean => kinds.some((k) => new RegExp(`^kind: ${k.kind}\\s*$`, 'm').test(doc) && new RegExp(`^apiVersion: ["']?${k.group.replace(/\./g, '\\.')}/`, 'm').test(doc));
  // custom resources from the corpus (whole files, as they are) and from the rendered chart
  const resources: string[] = [];
  if (fs.existsSync(CORPUS)) {
    for (const f of yamlFiles(CORPUS)) {
      const text = fs.readFileSync(f, 'utf8');
      if (documents(text).some(isCustom)) {
        files[path.relative(CORPUS, f)] = text;
        resources.push(path.relative(CORPUS, f));
      }
    }
  }
  files['rendered/cert-manager.yaml'] = documents(rendered.output).filter(isCustom).join('\n---\n');
  resources.push('rendered/cert-manager.yaml');
  assert.ok(resources.length >= 2, resources.join(', '));
  const ws = workspace(files);
  let checked = 0;
  for (const name of resources) {
    const file = ws.file(name);
    checked += file.sections.flatMap((s) => s.objects).filter((o) => kinds.some((k) => k.kind === o.kind)).length;
    assert.deepEqual(errorsAndWarnings(ws.diagnose(name)), [], name);
  }
  assert.ok(checked >= 4, `custom resources checked: ${checked}`);
  for (const name of Object.keys(files).filter((n) => n.startsWith('crds/'))) assert.deepEqual(ws.diagnose(name).filter((p) => p.severity === 'error'), [], name);
});

/** Resources written after cert-manager's documentation, valid against its CRDs (with the CEL rule of the Venafi issuer). */
const CERT_MANAGER_RESOURCES = dedent(`
  apiVersion: cert-manager.io/v1
  kind: ClusterIssuer
  metadata:
    name: letsencrypt
  spec:
    acme:
      server: https://acme-v02.api.letsencrypt.org/directory
      email: ops@example.com
      privateKeySecretRef:
        name: letsencrypt-account
      solvers:
      - http01:
          ingress:
            ingressClassName: nginx
      - dns01:
          cloudflare:
            apiTokenSecretRef:
              name: cloudflare
              key: token
        selector:
          dnsZones: [example.com]
  ---
  apiVersion: cert-manager.io/v1
  kind: Issuer
  metadata:
    name: venafi
    namespace: web
  spec:
    venafi:
      zone: Default
      cloud:
        apiTokenSecretRef:
          name: venafi-token
          key: apikey
  ---
  apiVersion: cert-manager.io/v1
  kind: Issuer
  metadata:
    name: ca
    namespace: web
  spec:
    ca:
      secretName: ca-key-pair
  ---
  apiVersion: cert-manager.io/v1
  kind: Certificate
  metadata:
    name: web
    namespace: web
  spec:
    secretName: web-tls
    duration: 2160h
    renewBefore: 360h
    commonName: web.example.com
    dnsNames:
    - web.example.com
    - www.example.com
    ipAddresses:
    - 10.0.0.1
    privateKey:
      algorithm: ECDSA
      size: 256
      rotationPolicy: Always
    usages:
    - server auth
    - client auth
    issuerRef:
      name: letsencrypt
      kind: ClusterIssuer
      group: cert-manager.io
`);

test('cert-manager resources against the real cert-manager CRDs: valid ones pass, a broken Venafi issuer fails its CEL rule', { skip: !fs.existsSync(CERT_MANAGER) && 'no ../shared' }, () => {
  const rendered = helmTemplate(readChart(CERT_MANAGER), { set: ['crds.enabled=true'] });
  const crds = documents(rendered.output).filter((d) => /^kind: CustomResourceDefinition\s*$/m.test(d)).join('\n---\n');
  const ws = workspace({ 'crds.yaml': crds, 'issuers.yaml': CERT_MANAGER_RESOURCES });
  assert.deepEqual(ws.diagnose('issuers.yaml'), []);
  const broken = CERT_MANAGER_RESOURCES.replace('    zone: Default\n', '    zone: Default\n    tpp:\n      url: https://tpp.example.com/vedsdk\n      credentialsRef:\n        name: tpp-creds\n');
  assert.notEqual(broken, CERT_MANAGER_RESOURCES);
  ws.write('broken.yaml', broken);
  assert.deepEqual(ws.diagnose('broken.yaml').map((p) => [p.code, p.text, p.message]), [
    ['crd-validation-rule', 'venafi', 'spec.venafi: exactly one of tpp, cloud, or ngts must be configured (a validation rule of the CRD issuers.cert-manager.io).'],
  ]);
});
