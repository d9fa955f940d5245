/**
 * dist/template-engine.js: the Helm engine and `renderTemplate` (./template.ts), nothing of the
 * language service. Loaded by the render worker (./templateWorker.ts) through V8's code cache.
 */
export { renderTemplate } from './template';
