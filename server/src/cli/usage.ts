/** The usage text of the command line (printed by dist/cli.js and by `check`). */
export const USAGE = `Usage: kube-manifests check [options] [paths...]
       kube-manifests template [NAME] CHART [options]   (see kube-manifests template --help)

check: checks Kubernetes manifests: files, folders (every *.yaml and *.yml in them),
globs ("manifests/**/*.yaml"), or - for standard input. Default: the current folder.

template: renders a Helm chart (a folder or .tgz) as "helm template" does.

Options of check:
  --format text|json|sarif   output format (default: text)
  --kubernetes-version X.Y   the Kubernetes version to check against (default: 1.34)
  --config FILE              a .kube-manifests.yaml (default: the one in the current folder, if any)
  -f, --values FILE          Helm: a values file for the chart found in the paths (repeatable)
  --set K=V, --set-string K=V  Helm: values for that chart, as helm install takes them
  -h, --help                 show this help
  -v, --version              show the version

Exit code: 0 when there are no errors, 1 when there is at least one, 2 on bad usage.`;

