/**
 * dist/template-engine.js: the Helm engine and `renderTemplate` (./template.ts), nothing of the
 * language service. Loaded through V8's code cache by the main thread of dist/cli.js
 * (./templateCommand.ts), and by the render worker (./templateWorker.ts) when a render needs its stack.
 */
export { renderTemplate, renderTemplateOnDefaultStack } from './template';
