/**
 * Turns the `yaml` package's parse errors into plain words that say where the
 * structure broke and how to mend it.
 */
import { SyntaxProblem } from './manifest';
import { indentOf, isBlankOrComment, LineIndex } from './text';

export interface ExplainedSyntaxProblem {
  start: number;
  end: number;
  code: 'syntax-error' | 'duplicate-key';
  message: string;
}

export function explainSyntaxProblem(p: SyntaxProblem, lines: LineIndex): ExplainedSyntaxProblem {
  const pos = lines.positionAt(p.start);
  const lineText = lines.lineText(pos.line);
  const prev = previousContentLine(lines, pos.line);
  const lineNo = (l: number) => l + 1;
  let message: string;
  let start = p.start;
  let end = p.end;
  switch (p.code) {
    case 'DUPLICATE_KEY': {
      const key = /^\s*(?:-\s+)?([^:#]+?)\s*:/.exec(lineText)?.[1] ?? 'this key';
      return {
        start: lines.lineStarts[pos.line] + indentOf(lineText),
        end: lines.lineEnd(pos.line),
        code: 'duplicate-key',
        message: `"${key}" appears twice in the same map; only one of the two values would be applied. Remove or merge one of them.`,
      };
    }
    case 'TAB_AS_INDENT':
      message = 'A tab is used for indentation; YAML allows only spaces. Replace the tab with spaces.';
      break;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      // Usually a line indented deeper than the one above, which already has a value:
      // the error starts at that value, the offending key is on the next line.
      const here = nextContentLine(lines, pos.line);
      const hereText = here >= 0 ? lines.lineText(here) : '';
      const key = /^\s*(?:-\s+)?([^:#\s][^:#]*?)\s*:/.exec(hereText)?.[1];
      const aboveKey = /^\s*(?:-\s+)?([^:#\s][^:#]*?)\s*:\s*(\S.*)?$/.exec(lineText);
      if (here >= 0 && key && aboveKey && aboveKey[2]) {
        message = `The mapping breaks at line ${lineNo(here)}: \`${key}:\` is indented under \`${aboveKey[1]}: ${aboveKey[2].trim()}\`, which already has a value, so it cannot hold fields. Line \`${key}:\` up with \`${aboveKey[1]}:\`, or nest it under the field it belongs to (for an env var: \`valueFrom:\`).`;
        start = lines.lineStarts[here] + indentOf(hereText);
        end = lines.lineEnd(here);
      } else {
        message = `The mapping breaks here: a key must fit on one line and be indented like its siblings. Check the indentation of line ${lineNo(pos.line)}.`;
      }
      break;
    }
    case 'BAD_INDENT': {
      const prevIndent = prev >= 0 ? indentOf(lines.lineText(prev)) : 0;
      message = `Line ${lineNo(pos.line)} is indented by ${indentOf(lineText)} spaces, which matches no enclosing block${prev >= 0 ? ` (the line above is indented by ${prevIndent})` : ''}. Keys of one map must start in the same column.`;
      if (/Flow sequence|Flow mapping/.test(p.message)) message = `${p.message}.`;
      break;
    }
    case 'MISSING_CHAR':
      message = `${p.message.replace(/\.$/, '')}: a quote or bracket was opened but not closed.`;
      break;
    case 'UNEXPECTED_TOKEN':
      message = `Unexpected text at line ${lineNo(pos.line)}: ${p.message.replace(/\.$/, '')}.`;
      break;
    case 'ALIAS_PROPS':
    case 'BAD_ALIAS':
      message = `${p.message.replace(/\.$/, '')}: an alias (*name) must refer to an anchor (&name) defined earlier in the same document.`;
      break;
    default:
      message = `${p.message.replace(/\.$/, '')}.`;
  }
  if (start >= end) end = Math.min(start + 1, lines.text.length);
  return { start, end, code: 'syntax-error', message: `YAML syntax: ${message}` };
}

function previousContentLine(lines: LineIndex, line: number): number {
  for (let l = line - 1; l >= 0; l--) if (!isBlankOrComment(lines.lineText(l))) return l;
  return -1;
}

function nextContentLine(lines: LineIndex, line: number): number {
  for (let l = line + 1; l < lines.lineCount; l++) if (!isBlankOrComment(lines.lineText(l))) return l;
  return -1;
}
