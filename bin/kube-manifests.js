#!/usr/bin/env node
// `npx kube-manifests check ...` / `npx kube-manifests template ...`: the CLI bundle built by `npm run build`
// (`check` loads dist/check.js; `template` renders in a worker thread, dist/template-worker.js, with the
// engine dist/template-engine.js: see server/src/cli/templateCommand.ts).
require('../dist/cli.js');
