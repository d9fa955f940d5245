#!/bin/bash
# Proves the reference: renders the charts of Helm's own `helm template` tests
# (pkg/cmd/template_test.go) and diffs the output with Helm's golden files.
#   test/helm/reference/check-golden.sh HELM_CHECKOUT   (a helm/helm checkout, e.g. main at e9b85e4)
# Needs out/helm-ref/helm-ref (scripts/build-helm-ref.sh). --helm-test-defaults gives the
# capabilities Helm's tests run with (Kubernetes v1.20.0). Not covered: --name-template.
set -u
REF="$(cd "$(dirname "$0")/../../.." && pwd)/out/helm-ref/helm-ref"
cd "${1:?usage: check-golden.sh HELM_CHECKOUT}/pkg/cmd/testdata" || exit 2
pass=0
fail=0
run() { # golden args...
  local g=$1
  shift
  local out
  out=$("$REF" template --helm-test-defaults "$@" 2>&1)
  if [ "$out" == "$(cat "output/$g")" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $g ($*)"
    diff <(echo "$out") "output/$g" | head -20
  fi
}
C=testcharts/subchart
run template.txt $C
run template-set.txt $C --set service.name=apache
run template-values-files.txt $C --values $C/charts/subchartA/values.yaml
run template-lib-chart.txt testcharts/lib-chart
run template-chart-bad-type.txt testcharts/chart-bad-type
run template-chart-with-template-lib-dep.txt testcharts/chart-with-template-lib-dep
run template-chart-with-template-lib-archive-dep.txt testcharts/chart-with-template-lib-archive-dep
run template-with-kube-version.txt --kube-version 1.16.0 $C
run template-with-api-version.txt --api-versions helm.k8s.io/test,helm.k8s.io/test2 $C
run template-with-api-version.txt --api-versions helm.k8s.io/test --api-versions helm.k8s.io/test2 $C
run template-with-crds.txt $C --include-crds
run template-show-only-one.txt $C --show-only templates/service.yaml
run template-show-only-multiple.txt $C --show-only templates/service.yaml --show-only charts/subcharta/templates/service.yaml
run template-show-only-glob.txt $C --show-only 'templates/subdir/role*'
run object-order.txt testcharts/object-order
run template-with-invalid-yaml.txt testcharts/chart-with-template-with-invalid-yaml
run template-with-invalid-yaml-debug.txt testcharts/chart-with-template-with-invalid-yaml --debug
run template-with-invalid-template-expr-debug-show-only.txt testcharts/chart-with-template-with-invalid-template-expr --debug --show-only templates/alpine-pod.yaml
run template-skip-tests.txt $C --skip-tests
run issue-9027.txt testcharts/issue-9027
run template-subchart-cm.txt $C --set configmap.enabled=true --set subchartb.enabled=true
run template-subchart-cm-set.txt $C --set configmap.enabled=true --set subchartb.enabled=true --set configmap.value=baz
run template-subchart-cm-set-file.txt $C -f $C/extra_values.yaml
echo "golden files: $pass identical, $fail different"
[ "$fail" -eq 0 ]
