/**
 * The snippets of snippets/kubernetes.json (the file VS Code also reads). The
 * whole-document ones (`isFileTemplate: true`, which VS Code also uses to
 * fill a new empty file) are served as completion items in an empty document
 * so every LSP editor gets them; fragments (probe blocks, a preStop hook) are
 * VS Code snippets only. esbuild inlines the JSON.
 */
import raw from '../../../snippets/kubernetes.json';

export interface Skeleton {
  label: string;
  prefix: string[];
  description: string;
  /** Snippet body, lines joined with \n. */
  body: string;
  /** A whole manifest (offered in an empty document), not a fragment. */
  fileTemplate: boolean;
}

type RawSnippet = { prefix: string | string[]; description: string; body: string[]; isFileTemplate?: boolean };

/** Every snippet of the file, fragments included. */
export const ALL_SNIPPETS: Skeleton[] = Object.entries(raw as Record<string, RawSnippet>).map(([label, s]) => ({
  label,
  prefix: Array.isArray(s.prefix) ? s.prefix : [s.prefix],
  description: s.description,
  body: s.body.join('\n'),
  fileTemplate: s.isFileTemplate === true,
}));

/** The whole-document skeletons, served in an empty document. */
export const SNIPPETS: Skeleton[] = ALL_SNIPPETS.filter((s) => s.fileTemplate);
