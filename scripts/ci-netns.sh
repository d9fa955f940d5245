#!/bin/sh
# Runs the LSP tests (node --test out/test/lsp/) inside a network namespace that
# has only a loopback interface, proving that the server needs no network: any
# attempt to reach another host fails there. Where namespaces are not available
# (no unshare, or unprivileged user namespaces disabled), runs the tests plainly
# and says so. Needs the bundles and tests built: npm run build && node scripts/buildTests.mjs
set -e
cd "$(dirname "$0")/.."
TESTS="${*:-out/test/lsp/}"

# The probe run inside the namespace: bring loopback up, check that the outside is unreachable, run the tests.
INNER='ip link set lo up 2>/dev/null || true
node -e "
const net = require(\"net\");
const s = net.connect({ host: \"1.1.1.1\", port: 53, timeout: 2000 });
s.on(\"connect\", () => { console.error(\"ci-netns: the namespace reaches the network; refusing to prove anything\"); process.exit(1); });
s.on(\"error\", (e) => { console.log(\"ci-netns: outside network unreachable (\" + e.code + \"), loopback only\"); process.exit(0); });
s.on(\"timeout\", () => { console.log(\"ci-netns: outside network unreachable (timeout), loopback only\"); process.exit(0); });
" && exec node --test '"$TESTS"

if command -v unshare >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && unshare -n true 2>/dev/null; then
    exec unshare -n sh -c "$INNER"
  elif unshare -rn true 2>/dev/null; then
    exec unshare -rn sh -c "$INNER"
  fi
fi
echo "ci-netns: NOTE: network namespaces are not available here (unshare missing or not permitted); running the LSP tests without network isolation."
exec node --test $TESTS
