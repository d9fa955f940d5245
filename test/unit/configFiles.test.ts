import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diagnose, hover, ROOT, service, workspace } from '../helpers';

const DIR = path.join(ROOT, 'test', 'unit', 'fixtures', 'configFiles');
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');

/** Each real example (from the projects' documentation) and what hover on its kind (or apiVersion) must say. */
const EXAMPLES: Array<[file: string, hoverStart: string]> = [
  ['kubeconfig.yaml', '**Config** (v1): a kubeconfig'],
  ['helm-repo-index.yaml', '**v1**: a Helm repository index'],
  ['kustomization.yaml', '**Kustomization** (kustomize.config.k8s.io/v1beta1): a kustomization'],
  ['kubelet-config.yaml', "**KubeletConfiguration** (kubelet.config.k8s.io/v1beta1): the kubelet's configuration file"],
  ['kube-proxy-config.yaml', "**KubeProxyConfiguration** (kubeproxy.config.k8s.io/v1alpha1): kube-proxy's configuration file"],
  ['kube-scheduler-config.yaml', "**KubeSchedulerConfiguration** (kubescheduler.config.k8s.io/v1): the scheduler's configuration file"],
  ['encryption-config.yaml', '**EncryptionConfiguration** (apiserver.config.k8s.io/v1): an encryption configuration'],
  ['admission-config.yaml', '**AdmissionConfiguration** (apiserver.config.k8s.io/v1): an admission configuration'],
  ['audit-policy.yaml', '**Policy** (audit.k8s.io/v1): an audit policy'],
  ['kind-cluster.yaml', '**Cluster** (kind.x-k8s.io/v1alpha4): a kind cluster configuration'],
  ['k3d-config.yaml', '**Simple** (k3d.io/v1alpha5): a k3d cluster configuration'],
  ['kubeadm-config.yaml', "**InitConfiguration** (kubeadm.k8s.io/v1beta4): kubeadm's configuration"],
  ['kubeadm-join.yaml', "**JoinConfiguration** (kubeadm.k8s.io/v1beta4): kubeadm's configuration"],
];

for (const [file, hoverStart] of EXAMPLES) {
  test(`${file}: no problems, and hover says what the file is`, () => {
    const text = read(file);
    assert.deepEqual(diagnose(text, {}, `file:///test/${file}`), []);
    const line = /^kind: .*$/m.exec(text) ?? /^apiVersion: .*$/m.exec(text)!;
    const at = line.index + line[0].indexOf(': ') + 3;
    const h = hover(text.slice(0, at) + '$0' + text.slice(at));
    assert.ok(h?.startsWith(hoverStart), `${file}: ${h}`);
    assert.ok(!/custom resource/.test(h!), 'never called a custom resource');
  });
}

test('none of them becomes a workspace object (only kustomize generators do)', () => {
  const files = Object.fromEntries(EXAMPLES.map(([f]) => [f, read(f)]));
  const ws = workspace(files);
  assert.deepEqual([...ws.index.view().all()].map((o) => `${o.kind}/${o.name}`).sort(), ['ConfigMap/my-configmap', 'Secret/app-tls']);
  for (const [f] of EXAMPLES) assert.deepEqual(ws.diagnose(f), [], f);
});

test('the outline names a configuration file by its kind', () => {
  const ls = service();
  const names = (file: string) => ls.documentSymbols(ls.parse(`file:///t/${file}`, read(file))).map((s) => s.name);
  assert.deepEqual(names('kubeadm-config.yaml'), ['InitConfiguration', 'ClusterConfiguration', 'KubeletConfiguration', 'KubeProxyConfiguration']);
  assert.deepEqual(names('k3d-config.yaml'), ['Simple mycluster']);
  assert.deepEqual(names('helm-repo-index.yaml'), ['v1']);
});

test('a Helm 2 Chart.yaml (apiVersion v1, no kind) is not an object without a kind', () => {
  const chart = 'apiVersion: v1\nname: mychart\nversion: 0.1.0\ndescription: A Helm chart for Kubernetes\nappVersion: "1.0"\n';
  assert.deepEqual(diagnose(chart, {}, 'file:///c/mychart/Chart.yaml'), []);
  const h = hover(chart.replace('apiVersion: v1', 'apiVersion: v$01'));
  assert.ok(h?.startsWith("**v1**: a Helm chart's Chart.yaml"), h);
});

test('Kubernetes objects are still judged: a real mistake near a config kind is reported', () => {
  // v1 serves no kind ConfgMap: a typo of ConfigMap, reported as before
  assert.deepEqual(diagnose('apiVersion: v1\nkind: ConfgMap\nmetadata:\n  name: x\n').map((p) => `${p.code} ${p.text}`), ['wrong-api-version ConfgMap']);
  // apiVersion v1 without kind and without the shape of a Helm file: still asked for its kind
  assert.deepEqual(diagnose('apiVersion: v1\nmetadata:\n  name: x\ndata:\n  a: b\n').map((p) => p.code), ['missing-api-version']);
  // kind Config in another group is a custom resource: quiet, and checked by nothing of ours
  assert.deepEqual(diagnose('apiVersion: example.com/v1\nkind: Config\nspec:\n  clusters: 3\n'), []);
});

const CLI = path.join(ROOT, 'dist', 'cli.js');

test('the CLI checks a kubeconfig and stays quiet on the other files', { skip: !fs.existsSync(CLI) && 'dist/cli.js not built' }, () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-config-files-'));
  try {
    for (const [f] of EXAMPLES) fs.copyFileSync(path.join(DIR, f), path.join(d, f));
    fs.writeFileSync(path.join(d, 'broken-kubeconfig.yaml'), read('kubeconfig.yaml').replace('current-context: kind-kind', 'current-context: kind-knd'));
    const r = spawnSync(process.execPath, [CLI, 'check', d], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout.trim(), `${path.join(d, 'broken-kubeconfig.yaml')}:30:18 error kubeconfig-unknown-name current-context names the context "kind-knd", which is not defined in contexts; kubectl fails with "context was not found for specified context". Did you mean "kind-kind"?`);
    assert.match(r.stderr, new RegExp(`${EXAMPLES.length + 1} files checked: 1 error, 0 warnings`));
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});
