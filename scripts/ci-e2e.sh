#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server 4.100.3 + headless Chromium), called by .ci/run.
# Installs what they need (Debian packages, code-server from the npm registry; nothing else is
# downloaded) and runs `npm run test:e2e` in a loopback-only network namespace where one can be made.
set -euo pipefail
cd "$(dirname "$0")/.."
T0=$(date +%s)
step() { echo "== [e2e $(( $(date +%s) - T0 ))s] $*"; }

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
command -v g++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)
command -v ip >/dev/null || need+=(iproute2)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  step "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

step "code-server (npm registry; cached in .cache/code-server)"
node -e "import('./test/e2e/lib/codeServer.mjs').then((m) => m.ensureCodeServer('.cache/code-server'))"

step "build + package the extension"
npm run -s package

# Everything below runs without the network: a namespace with only a loopback interface.
if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
  step "npm run test:e2e (loopback-only network namespace)"
  unshare -n bash -c 'ip link set lo up && exec node test/e2e/run.mjs --skip-build'
else
  step "npm run test:e2e (no network namespace available here)"
  node test/e2e/run.mjs --skip-build
fi
step "done"
