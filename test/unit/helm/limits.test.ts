/**
 * Bounded rendering in the editor (issue 10): `prepareChart` + `renderPrepared` with `limits` on
 * small in-memory charts whose templates would run for ever or build gigabytes. Each must stop
 * with one RenderError of kind `limit` that says why in plain words, on its own template only,
 * quickly. Also: the editor's deterministic mode gives the same random values and clock on every
 * render, and without limits (the CLI) a large but finite `repeat` renders in full, as Helm does.
 * In the editor a runaway include or tpl is a limit with a short message, a limit points at the
 * call that hit it, and templates after one that ran out of output still render.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ChartFile, helmTemplate, prepareChart, renderPrepared } from '../../../server/src/helm/index';
import type { RenderLimits, RenderResult } from '../../../server/src/helm/engine';

const enc = new TextEncoder();
const MiB = 1024 * 1024;
/** Only to catch a hang: none of these is a performance target. */
const HANG_MS = 10_000;

/**
 * A chart `lim` whose `templates/b.yaml` is `text`, next to `templates/c.yaml` (rendered before
 * it: Helm renders in descending name order) and `templates/a.yaml` (rendered after it).
 */
function chart(text: string, values = ''): ChartFile[] {
  const files: Record<string, string> = {
    'Chart.yaml': 'apiVersion: v2\nname: lim\nversion: 0.1.0\n',
    'values.yaml': values,
    'templates/a.yaml': 'a: 1\n',
    'templates/b.yaml': text,
    'templates/c.yaml': 'c: 1\n',
  };
  return Object.entries(files).map(([path, t]) => ({ path, data: enc.encode(t) }));
}

function limits(over: Partial<RenderLimits> = {}): RenderLimits {
  return { maxOutputBytes: MiB, timeoutMs: 5_000, now: () => performance.now(), ...over };
}

interface Timed {
  r: RenderResult;
  ms: number;
  heapGrowth: number;
}

/** Renders the chart as the editor does (all templates, collecting every error), timed. */
function editorRender(files: ChartFile[], lim: RenderLimits = limits()): Timed {
  const p = prepareChart(files);
  const heap = process.memoryUsage().heapUsed;
  const t = performance.now();
  const r = renderPrepared(p, { deterministic: true, sourceMap: true, collectAll: true, parseCache: new Map(), limits: lim });
  const ms = performance.now() - t;
  return { r, ms, heapGrowth: process.memoryUsage().heapUsed - heap };
}

/** The one failed template: b.yaml, whose error is also the render's error; c.yaml rendered. */
function assertStoppedOnce({ r, ms }: Timed): void {
  assert.ok(ms < HANG_MS, `the render took ${ms.toFixed(0)} ms`);
  const failed = [...r.files.values()].filter((f) => f.error);
  assert.deepEqual(
    failed.map((f) => f.name),
    ['lim/templates/b.yaml'],
  );
  assert.equal(r.error, failed[0].error);
  assert.equal(r.error!.template, 'lim/templates/b.yaml');
  assert.equal(r.files.get('lim/templates/b.yaml')!.output, '');
  assert.equal(r.files.get('lim/templates/c.yaml')?.output, 'c: 1\n');
}

describe('a render that would never end or would build too much stops, once, saying why', () => {
  test('repeat of 100,000,000 characters', () => {
    const t = editorRender(chart('x: {{ repeat 100000000 "x" }}\n'));
    assertStoppedOnce(t);
    assert.equal(t.r.error!.kind, 'limit');
    assert.equal(t.r.error!.message, 'repeat would build more than 1048576 bytes; the render stops here');
    // Refused before the string is built (100 MB otherwise).
    assert.ok(t.heapGrowth < 64 * MiB, `heap grew by ${(t.heapGrowth / MiB).toFixed(0)} MiB`);
  });

  test('range over until 1,000,000,000', () => {
    const t = editorRender(chart('{{ range until 1000000000 }}x{{ end }}\n'));
    assertStoppedOnce(t);
    assert.equal(t.r.error!.kind, 'limit');
    assert.equal(t.r.error!.message, 'until would build more than 1048576 bytes; the render stops here');
    assert.ok(t.heapGrowth < 64 * MiB, `heap grew by ${(t.heapGrowth / MiB).toFixed(0)} MiB`);
  });

  test('a loop whose output grows past the size limit stops at the text it repeats', () => {
    const text = `{{ range until 100000 }}${'y'.repeat(100)}{{ end }}\n`;
    const t = editorRender(chart(text));
    assertStoppedOnce(t);
    assert.equal(t.r.error!.kind, 'limit');
    assert.equal(t.r.error!.message, 'template: lim/templates/b.yaml: rendering stopped: the output is larger than 1048576 bytes');
    const node = t.r.error!.execError!.node!;
    assert.equal(text.slice(node.start, node.end), 'y'.repeat(100));
  });

  test('nested ranges of 100,000 × 100,000 steps stop at the time limit', () => {
    const text = '{{ range $i := until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}\n';
    const t = editorRender(chart(text), limits({ timeoutMs: 300 }));
    assertStoppedOnce(t);
    assert.equal(t.r.error!.kind, 'limit');
    assert.equal(t.r.error!.message, 'template: lim/templates/b.yaml: rendering stopped: it took longer than the time limit');
    assert.ok(t.ms >= 300, `stopped after ${t.ms.toFixed(0)} ms, before the limit`);
    // Placed inside the loops, not at the start of the file.
    const at = t.r.error!.execError!.offset;
    assert.ok(at > 0 && at < text.indexOf('{{ end }}{{ end }}') + 9, `offset ${at}`);
  });

  test('an include that calls itself stops at Helm\'s nesting limit, with Helm\'s words', () => {
    const t = editorRender(chart('{{ define "r" }}{{ include "r" . }}{{ end }}x: {{ include "r" . }}\n'), limits({ timeoutMs: 60_000 }));
    assertStoppedOnce(t);
    assert.match(t.r.error!.message, /include "r" calls itself more than 1000 levels deep, where Helm stops \("rendering template has a nested reference name: r"\)/);
  });

  test('a tpl that renders itself stops without throwing out of the render', () => {
    const t = editorRender(chart('x: {{ tpl .Values.t . }}\n', "t: '{{ tpl .Values.t . }}'\n"), limits({ timeoutMs: 60_000 }));
    assertStoppedOnce(t);
  });

  test(
    'an include that calls itself is a limit, in a message short enough to read',
    () => {
      const t = editorRender(chart('{{ define "r" }}{{ include "r" . }}{{ end }}x: {{ include "r" . }}\n'), limits({ timeoutMs: 60_000 }));
      assert.equal(t.r.error!.kind, 'limit');
      assert.ok(t.r.error!.message.length < 500, `${t.r.error!.message.length} characters`);
      assert.match(t.r.error!.message, /"r"/);
    },
  );

  test(
    'a tpl that renders itself is a limit, in a message short enough to read',
    () => {
      const t = editorRender(chart('x: {{ tpl .Values.t . }}\n', "t: '{{ tpl .Values.t . }}'\n"), limits({ timeoutMs: 60_000 }));
      assert.equal(t.r.error!.kind, 'limit');
      assert.ok(t.r.error!.message.length < 500, `${t.r.error!.message.length} characters`);
    },
  );

  test(
    'a size limit points at the call that hit it',
    () => {
      const text = 'x: {{ repeat 100000000 "x" }}\n';
      const node = editorRender(chart(text)).r.error!.execError!.node!;
      assert.equal(text.slice(node.start, node.end), 'repeat 100000000 "x"');
    },
  );

  test(
    'the templates after one that hit a size limit are still rendered',
    () => {
      const t = editorRender(chart('x: {{ repeat 100000000 "x" }}\n'));
      assert.equal(t.r.files.get('lim/templates/a.yaml')?.output, 'a: 1\n');
    },
  );
});

describe('deterministic mode (the editor)', () => {
  const text = 'pw: {{ randAlphaNum 16 }}\nid: {{ uuidv4 }}\nday: {{ now | date "2006-01-02" }}\nb64: {{ randBytes 6 }}\n';
  const files = chart(text);
  const render = (deterministic: boolean, only?: (n: string) => boolean): string =>
    renderPrepared(prepareChart(files), { deterministic, collectAll: true, only, limits: deterministic ? limits() : undefined }).files.get('lim/templates/b.yaml')!.output;

  test('randAlphaNum, uuidv4 and now give the same text on every render', () => {
    const first = render(true);
    assert.match(first, /^pw: [A-Za-z0-9]{16}\nid: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\nday: 2024-01-01\nb64: [A-Za-z0-9+/]{8}\n$/);
    assert.equal(render(true), first);
    // The editor re-renders one template on a keystroke: the same values as in a full render.
    assert.equal(render(true, (n) => n === 'lim/templates/b.yaml'), first);
  });

  test('without it (the CLI), random values change between renders, as in Helm', () => {
    const a = render(false);
    const b = render(false);
    assert.notEqual(a.split('\n')[0], b.split('\n')[0]);
    assert.notEqual(a.split('\n')[1], b.split('\n')[1]);
  });
});

describe('without limits (the CLI)', () => {
  test('a repeat of 2,000,000 characters renders in full, as Helm does', () => {
    const files = chart('x: {{ repeat 2000000 "x" }}\n');
    const r = renderPrepared(prepareChart(files));
    assert.equal(r.error, undefined);
    assert.equal(r.files.get('lim/templates/b.yaml')!.output, `x: ${'x'.repeat(2_000_000)}\n`);
    const out = helmTemplate(files);
    assert.equal(out.error, undefined);
    assert.ok(out.output.includes(`# Source: lim/templates/b.yaml\nx: ${'x'.repeat(2_000_000)}\n`));
  });

  test('the same repeat fits the editor\'s 8 MiB limit too', () => {
    const t = editorRender(chart('x: {{ repeat 2000000 "x" }}\n'), limits({ maxOutputBytes: 8 * MiB }));
    assert.equal(t.r.error, undefined);
    assert.equal(t.r.files.get('lim/templates/b.yaml')!.output.length, 2_000_004);
  });
});
