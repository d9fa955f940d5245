#!/usr/bin/env node
// `npx kube-manifests check ...` / `npx kube-manifests template ...`: the CLI bundle built by `npm run build`
// (`template` re-enters dist/cli.js as a worker thread for its stack, see server/src/cli/template.ts).
require('../dist/cli.js');
