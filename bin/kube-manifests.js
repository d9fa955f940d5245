#!/usr/bin/env node
// `npx kube-manifests check ...`: the CLI bundle built by `npm run build`.
require('../dist/cli.js');
