/**
 * Configuration files: YAML with an apiVersion (and usually a kind) that no API
 * server serves. A kubeconfig (`apiVersion: v1`, `kind: Config`), a Helm
 * repository index.yaml or a v1 Chart.yaml, a kustomization, the component
 * configurations of the kubelet, kube-proxy, the scheduler and the API server
 * (encryption, admission, audit policy), kubeadm's configuration, kind and k3d
 * cluster configs.
 *
 * They are read by a program from disk (kubectl, kustomize, helm, the kubelet,
 * kubeadm...), never sent to the API server, so they must never be judged as
 * Kubernetes objects: the schema rules, the workspace index and hover consult
 * `configKindOf` first. Only the kubeconfig is checked, with our own schema
 * (rules/kubeconfig.ts), written from client-go; for the others no pinned,
 * well-kept schema source ships with our dependencies (kubernetes-models has
 * API objects only), so they are left quiet.
 */
import { isMap, isScalar, ManifestObject } from './manifest';

export type ConfigKindId =
  | 'kubeconfig'
  | 'helm-repository-index'
  | 'helm-chart'
  | 'kustomize'
  | 'component-config'
  | 'kubeadm'
  | 'kind-cluster'
  | 'k3d'
  | 'exec-credential'
  | 'kuberc';

export interface ConfigKind {
  id: ConfigKindId;
  /** What the file is, in a few words: `a kubeconfig`, `the kubelet's configuration file`. */
  title: string;
  /** Who reads it and how, one or two sentences (hover). */
  description: string;
  /** Where it is documented. */
  docs: string;
  /** True when we check it with a schema of our own (the kubeconfig); the others are left quiet. */
  checked: boolean;
}

type Entry = Omit<ConfigKind, 'id' | 'checked'>;

interface Group {
  id: ConfigKindId;
  /** Said of any kind of the group that the table below does not name. */
  fallback: Entry;
  kinds?: Record<string, Entry>;
}

const K8S_DOCS = 'https://kubernetes.io/docs/reference/config-api/';
const flag = (component: string, option: string) => `Read by ${component} from the file given with \`${option}\`; it is never sent to the API server, so the Kubernetes API schemas do not apply to it.`;

/** API groups whose kinds are configuration files (by the group of the apiVersion). */
const GROUPS: Record<string, Group> = {
  'kustomize.config.k8s.io': {
    id: 'kustomize',
    fallback: { title: 'a kustomize file', description: 'Read by kustomize (`kustomize build`, `kubectl apply -k`); never sent to the API server.', docs: 'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/' },
    kinds: {
      Kustomization: { title: 'a kustomization', description: 'Read by kustomize (`kustomize build`, `kubectl apply -k`), which assembles the resources it lists and applies its transformations; never sent to the API server.', docs: 'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/' },
      Component: { title: 'a kustomize component', description: 'A reusable piece of a kustomization (`components:`), read by kustomize; never sent to the API server.', docs: 'https://kubectl.docs.kubernetes.io/guides/config_management/components/' },
    },
  },
  'kubelet.config.k8s.io': {
    id: 'component-config',
    fallback: { title: 'a kubelet configuration file', description: 'Read by the kubelet from disk; never sent to the API server.', docs: `${K8S_DOCS}kubelet-config.v1beta1/` },
    kinds: {
      KubeletConfiguration: { title: "the kubelet's configuration file", description: flag('the kubelet', '--config'), docs: `${K8S_DOCS}kubelet-config.v1beta1/` },
      CredentialProviderConfig: { title: "the kubelet's image credential provider configuration", description: flag('the kubelet', '--image-credential-provider-config'), docs: `${K8S_DOCS}kubelet-config.v1/` },
    },
  },
  'kubeproxy.config.k8s.io': {
    id: 'component-config',
    fallback: { title: "kube-proxy's configuration file", description: flag('kube-proxy', '--config'), docs: `${K8S_DOCS}kube-proxy-config.v1alpha1/` },
  },
  'kubescheduler.config.k8s.io': {
    id: 'component-config',
    fallback: { title: "the scheduler's configuration file", description: flag('kube-scheduler', '--config'), docs: `${K8S_DOCS}kube-scheduler-config.v1/` },
  },
  'kubecontrollermanager.config.k8s.io': {
    id: 'component-config',
    fallback: { title: "the controller manager's configuration", description: 'Read by kube-controller-manager; never sent to the API server.', docs: `${K8S_DOCS}kube-controller-manager-config.v1alpha1/` },
  },
  'cloudcontrollermanager.config.k8s.io': {
    id: 'component-config',
    fallback: { title: "the cloud controller manager's configuration", description: 'Read by a cloud controller manager; never sent to the API server.', docs: K8S_DOCS },
  },
  'apiserver.config.k8s.io': {
    id: 'component-config',
    fallback: { title: 'an API server configuration file', description: 'Read by kube-apiserver from disk; never sent to the API server as an object.', docs: `${K8S_DOCS}apiserver-config.v1/` },
    kinds: {
      EncryptionConfiguration: { title: 'an encryption configuration', description: flag('kube-apiserver', '--encryption-provider-config') + ' It says how Secrets and other resources are encrypted at rest.', docs: 'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/' },
      AdmissionConfiguration: { title: 'an admission configuration', description: flag('kube-apiserver', '--admission-control-config-file') + ' It configures admission plugins.', docs: `${K8S_DOCS}apiserver-config.v1/` },
      AuthenticationConfiguration: { title: 'a structured authentication configuration', description: flag('kube-apiserver', '--authentication-config'), docs: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/' },
      AuthorizationConfiguration: { title: 'a structured authorization configuration', description: flag('kube-apiserver', '--authorization-config'), docs: 'https://kubernetes.io/docs/reference/access-authn-authz/authorization/' },
      EgressSelectorConfiguration: { title: 'an egress selector configuration', description: flag('kube-apiserver', '--egress-selector-config-file'), docs: `${K8S_DOCS}apiserver-config.v1/` },
      TracingConfiguration: { title: 'a tracing configuration', description: flag('kube-apiserver', '--tracing-config-file'), docs: `${K8S_DOCS}apiserver-config.v1/` },
    },
  },
  // The older group of AdmissionConfiguration (v1alpha1).
  'apiserver.k8s.io': {
    id: 'component-config',
    fallback: { title: 'an API server configuration file', description: 'Read by kube-apiserver from disk; never sent to the API server as an object.', docs: `${K8S_DOCS}apiserver-config.v1alpha1/` },
  },
  'audit.k8s.io': {
    id: 'component-config',
    fallback: { title: 'an audit file', description: 'Written or read by kube-apiserver (audit logging); never sent to the API server as an object.', docs: `${K8S_DOCS}apiserver-audit.v1/` },
    kinds: {
      Policy: { title: 'an audit policy', description: flag('kube-apiserver', '--audit-policy-file') + ' Its rules decide which requests are logged and at what level.', docs: 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/' },
    },
  },
  'pod-security.admission.config.k8s.io': {
    id: 'component-config',
    fallback: { title: 'a Pod Security admission configuration', description: 'Configuration of the PodSecurity admission plugin, inside an AdmissionConfiguration read by kube-apiserver.', docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/' },
  },
  'eventratelimit.admission.k8s.io': {
    id: 'component-config',
    fallback: { title: 'an EventRateLimit admission configuration', description: 'Configuration of the EventRateLimit admission plugin, read by kube-apiserver.', docs: `${K8S_DOCS}apiserver-eventratelimit.v1alpha1/` },
  },
  'kubeadm.k8s.io': {
    id: 'kubeadm',
    fallback: { title: "kubeadm's configuration", description: 'Read by kubeadm (`kubeadm init|join|reset|upgrade --config`); never sent to the API server.', docs: `${K8S_DOCS}kubeadm-config.v1beta4/` },
  },
  'kind.x-k8s.io': {
    id: 'kind-cluster',
    fallback: { title: 'a kind cluster configuration', description: 'Read by kind (`kind create cluster --config`), which runs a local cluster in containers; never sent to the API server.', docs: 'https://kind.sigs.k8s.io/docs/user/configuration/' },
  },
  'k3d.io': {
    id: 'k3d',
    fallback: { title: 'a k3d cluster configuration', description: 'Read by k3d (`k3d cluster create --config`), which runs k3s clusters in containers; never sent to the API server.', docs: 'https://k3d.io/stable/usage/configfile/' },
  },
  'client.authentication.k8s.io': {
    id: 'exec-credential',
    fallback: { title: 'an exec credential', description: 'What a kubeconfig exec plugin prints on stdout for client-go to read (or the input client-go gives it); never sent to the API server.', docs: 'https://kubernetes.io/docs/reference/config-api/client-authentication.v1/' },
  },
  'kubectl.config.k8s.io': {
    id: 'kuberc',
    fallback: { title: "kubectl's preferences (kuberc)", description: 'Read by kubectl from ~/.kube/kuberc (aliases and default flags); never sent to the API server.', docs: 'https://kubernetes.io/docs/reference/kubectl/kuberc/' },
  },
};

export const KUBECONFIG: ConfigKind = {
  id: 'kubeconfig',
  title: 'a kubeconfig',
  description: 'Read by kubectl and every client-go program (from `~/.kube/config`, `$KUBECONFIG` or `--kubeconfig`): the clusters to talk to, the users to authenticate as, and the contexts that pair them. It is never sent to the API server.',
  docs: 'https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/',
  checked: true,
};

const HELM_INDEX: ConfigKind = {
  id: 'helm-repository-index',
  title: 'a Helm repository index',
  description: "A chart repository's index.yaml, written by `helm repo index` and read by `helm repo add/update`: every chart version the repository serves. It is not a Kubernetes object.",
  docs: 'https://helm.sh/docs/topics/chart_repository/#the-index-file',
  checked: false,
};

const HELM_CHART: ConfigKind = {
  id: 'helm-chart',
  title: "a Helm chart's Chart.yaml",
  description: "A chart's metadata, read by helm (`apiVersion: v1` for Helm 2 charts, `v2` since Helm 3). It is not a Kubernetes object.",
  docs: 'https://helm.sh/docs/topics/charts/#the-chartyaml-file',
  checked: false,
};

const byNode = new WeakMap<object, ConfigKind | null>();

/**
 * What configuration file an object is, or undefined for a Kubernetes object
 * (or something meant to be one). Only a section's root object can be one.
 */
export function configKindOf(obj: Pick<ManifestObject, 'apiVersion' | 'kind' | 'node' | 'basePath'>): ConfigKind | undefined {
  if (obj.basePath.length) return undefined;
  const memo = byNode.get(obj.node);
  if (memo !== undefined) return memo ?? undefined;
  const found = classify(obj) ?? null;
  byNode.set(obj.node, found);
  return found ?? undefined;
}

function classify({ apiVersion, kind, node }: Pick<ManifestObject, 'apiVersion' | 'kind' | 'node'>): ConfigKind | undefined {
  // clientcmd decodes a kubeconfig as v1 Config even when apiVersion is left out.
  if (kind === 'Config' && (apiVersion === 'v1' || apiVersion === undefined)) return KUBECONFIG;
  if (kind === undefined && (apiVersion === 'v1' || apiVersion === 'v2') && isMap(node)) {
    const has = (key: string) => node.items.some((p) => isScalar(p.key) && p.key.value === key);
    // helm's repo.IndexFile: apiVersion, generated, entries (and serverInfo, annotations).
    if (has('entries')) return HELM_INDEX;
    // helm's chart.Metadata: name and version are required.
    if (has('name') && has('version')) return HELM_CHART;
    return undefined;
  }
  if (apiVersion === undefined) return undefined;
  const slash = apiVersion.lastIndexOf('/');
  if (slash < 0) return undefined;
  const group = GROUPS[apiVersion.slice(0, slash)];
  if (!group) return undefined;
  const entry = (kind !== undefined && group.kinds?.[kind]) || group.fallback;
  return { id: group.id, checked: false, ...entry };
}

/** True for a kubeconfig (`apiVersion: v1`, `kind: Config`). */
export function isKubeconfig(obj: Pick<ManifestObject, 'apiVersion' | 'kind' | 'node' | 'basePath'>): boolean {
  return configKindOf(obj)?.id === 'kubeconfig';
}
