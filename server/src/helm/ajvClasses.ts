/**
 * ajv's classes, loaded by valuesSchema.ts only when a schema is compiled (not on a first check
 * the walk can judge alone): a one-shot `kube-manifests template` never loads ajv for a chart whose
 * values meet its schema. The CLI's worker bundle keeps this module in a file of its own
 * (dist/template-ajv.js, see esbuild.mjs); other bundles hold it inline.
 */
export { default as Ajv } from 'ajv';
export { default as Ajv2019 } from 'ajv/dist/2019';
export { default as Ajv2020 } from 'ajv/dist/2020';
