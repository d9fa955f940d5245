/**
 * Label selector matching as the API server does it (matchLabels AND
 * matchExpressions with In / NotIn / Exists / DoesNotExist), on plain values.
 */

export function selectorMatches(selector: unknown, labels: Record<string, unknown>): boolean {
  if (!selector || typeof selector !== 'object' || Array.isArray(selector)) return true;
  const sel = selector as { matchLabels?: unknown; matchExpressions?: unknown };
  if (sel.matchLabels && typeof sel.matchLabels === 'object') {
    for (const [k, v] of Object.entries(sel.matchLabels as Record<string, unknown>)) {
      if (!(k in labels) || String(labels[k]) !== String(v)) return false;
    }
  }
  if (Array.isArray(sel.matchExpressions)) {
    for (const e of sel.matchExpressions as Array<Record<string, unknown>>) {
      if (!e || typeof e !== 'object') continue;
      const key = String(e.key ?? '');
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      const has = key in labels;
      const val = has ? String(labels[key]) : undefined;
      switch (e.operator) {
        case 'In':
          if (!has || !values.includes(val!)) return false;
          break;
        case 'NotIn':
          if (has && values.includes(val!)) return false;
          break;
        case 'Exists':
          if (!has) return false;
          break;
        case 'DoesNotExist':
          if (has) return false;
          break;
        default:
          break;
      }
    }
  }
  return true;
}

/** `a=b, c in (x,y)` for messages. */
export function describeSelector(selector: unknown): string {
  if (!selector || typeof selector !== 'object') return '{}';
  const sel = selector as { matchLabels?: Record<string, unknown>; matchExpressions?: Array<Record<string, unknown>> };
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${String(v)}`);
  for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
    if (!e || typeof e !== 'object') continue;
    const vals = Array.isArray(e.values) ? `(${e.values.map(String).join(',')})` : '';
    parts.push(e.operator === 'Exists' ? String(e.key) : e.operator === 'DoesNotExist' ? `!${String(e.key)}` : `${String(e.key)} ${String(e.operator).toLowerCase()} ${vals}`);
  }
  return parts.join(', ') || '{}';
}
