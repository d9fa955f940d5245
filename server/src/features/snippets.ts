/**
 * The manifest skeletons of snippets/kubernetes.json (the file VS Code also
 * reads), served as completion items in an empty document so every LSP editor
 * gets them. esbuild inlines the JSON.
 */
import raw from '../../../snippets/kubernetes.json';

export interface Skeleton {
  label: string;
  prefix: string[];
  description: string;
  /** Snippet body, lines joined with \n. */
  body: string;
}

export const SNIPPETS: Skeleton[] = Object.entries(raw as Record<string, { prefix: string | string[]; description: string; body: string[] }>).map(([label, s]) => ({
  label,
  prefix: Array.isArray(s.prefix) ? s.prefix : [s.prefix],
  description: s.description,
  body: s.body.join('\n'),
}));
