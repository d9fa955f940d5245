/**
 * The first check of a chart in the editor renders the open files first (`only`) and the rest
 * right after: a duplicate key in a values file is reported in the first pass when that values
 * file is open, and by the full check in any case (features/helm/chartCheck.ts).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChartChecker } from '../../../server/src/features/helm/chartCheck';
import { DEFAULT_SETTINGS } from '../../../server/src/types';
import { service } from '../../helpers';

const enc = new TextEncoder();
const chart: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'name: web\nport: 80\nname: api\n',
  'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\ndata:\n  port: {{ .Values.port | quote }}\n',
};
const files = Object.entries(chart).map(([p, t]) => ({ path: p, data: enc.encode(t) }));
const duplicates = (only?: Set<string>) =>
  (new ChartChecker(service()).check({ files, settings: DEFAULT_SETTINGS, only }).problems.get('values.yaml') ?? []).filter((p) => p.code === 'values-duplicate-key').map((p) => chart['values.yaml'].slice(p.start, p.end));

test('a duplicate values key is reported by the full check, and by the first pass when the values file is open', () => {
  assert.deepEqual(duplicates(), ['name']);
  assert.deepEqual(duplicates(new Set(['templates/cm.yaml', 'values.yaml'])), ['name']);
  assert.deepEqual(duplicates(new Set(['templates/cm.yaml'])), []); // the values file is not open: left to the full check that follows
});
