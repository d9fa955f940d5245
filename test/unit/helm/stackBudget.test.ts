/**
 * The stack budget (server/src/helm/stackBudget.ts) under which `kube-manifests template` renders
 * on Node's main thread first: a render within it is kept as it is, a render nesting deeper, or
 * one whose stack overflow the engine turned into a message of its own, is flagged to be run again
 * on a large stack, and outside the budget nothing changes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderBare } from '../../../server/src/helm/index';
import { withStackBudget } from '../../../server/src/helm/stackBudget';

const DOWN = '{{- define "down" -}}{{- if gt (int .) 0 -}}{{ include "down" (sub (int .) 1) }}{{- end -}}.{{- end -}}';
const render = (depth: number) => renderBare([{ name: 'h', text: DOWN }, { name: 't', text: `{{ include "down" ${depth} }}` }], 't', {});

test('a render within the budget is kept, and is the render without it', () => {
  const r = withStackBudget(400, () => render(50));
  assert.equal(r.exceeded, false);
  assert.deepEqual(r.result, { output: '.'.repeat(51) });
  assert.deepEqual(r.result, render(50));
});

test('a render nesting deeper than the budget is flagged, whatever it returned; without the budget it renders', () => {
  // Two levels per include (the define's body and the if block's).
  const r = withStackBudget(400, () => render(300));
  assert.equal(r.exceeded, true);
  assert.equal(r.result, undefined);
  assert.deepEqual(render(300), { output: '.'.repeat(301) });
});

test('a stack overflow the engine turns into a message is flagged; without the budget it stays the message', () => {
  let deep: Record<string, unknown> = { x: 1 };
  for (let i = 0; i < 200000; i++) deep = { a: deep };
  const run = () => renderBare([{ name: 't', text: '{{ mustToJson .Values }}' }], 't', deep);
  const plain = run();
  assert.match(plain.error ?? '', /json: unsupported value: nesting too deep/);
  assert.equal(withStackBudget(400, run).exceeded, true);
  // The budget ends with its run: the same render afterwards is the plain one again.
  assert.deepEqual(run(), plain);
});

test('budgets nest and restore: an inner run does not break the outer one', () => {
  const r = withStackBudget(400, () => {
    const inner = withStackBudget(10, () => render(50));
    assert.equal(inner.exceeded, true);
    return render(50);
  });
  assert.equal(r.exceeded, false);
  assert.deepEqual(r.result, { output: '.'.repeat(51) });
});
