/**
 * Go's `Node.String()` for our syntax tree (text/template/parse node.go, Go 1.19): the canonical
 * text Go prints in messages such as `executing "x" at <.Values.a>: ...` and
 * `unexpected . after term "3"`.
 *
 * Comments are left out of lists, as in Helm's trees (Go keeps no comment nodes unless asked to);
 * a CommentNode on its own prints `{{/* ... *\/}}`.
 */

import type { ArgNode, CommandNode, ListNode, Node, PipeNode } from './ast';
import { goQuote } from './lexer';

export function nodeString(n: ArgNode | PipeNode | CommandNode | Node): string {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'comment':
      return '{{' + n.text + '}}';
    case 'action':
      return '{{' + pipeString(n.pipe) + '}}';
    case 'pipe':
      return pipeString(n);
    case 'command':
      return commandString(n);
    case 'identifier':
      return n.name;
    case 'field': {
      let s = '';
      for (const id of n.ident) s += '.' + id;
      return s;
    }
    case 'variable': {
      let s = n.name;
      for (const id of n.ident) s += '.' + id;
      return s;
    }
    case 'chain': {
      let s = n.node.type === 'pipe' ? '(' + pipeString(n.node) + ')' : nodeString(n.node);
      for (const f of n.field) s += '.' + f;
      return s;
    }
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'list':
      return listString(n);
    case 'if':
    case 'range':
    case 'with': {
      let s = '{{' + n.type + ' ' + pipeString(n.pipe) + '}}' + listString(n.list);
      if (n.elseList) s += '{{else}}' + listString(n.elseList);
      return s + '{{end}}';
    }
    case 'template':
      return '{{template ' + goQuote(n.name) + (n.pipe ? ' ' + pipeString(n.pipe) : '') + '}}';
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
  }
}

function listString(l: ListNode): string {
  let s = '';
  for (const n of l.nodes) if (n.type !== 'comment') s += nodeString(n);
  return s;
}

/** Go prints ` := ` for assignments (`=`) too. */
function pipeString(p: PipeNode): string {
  let s = '';
  if (p.decl.length > 0) {
    for (let i = 0; i < p.decl.length; i++) {
      if (i > 0) s += ', ';
      s += nodeString(p.decl[i]);
    }
    s += ' := ';
  }
  for (let i = 0; i < p.cmds.length; i++) {
    if (i > 0) s += ' | ';
    s += commandString(p.cmds[i]);
  }
  return s;
}

function commandString(c: CommandNode): string {
  let s = '';
  for (let i = 0; i < c.args.length; i++) {
    if (i > 0) s += ' ';
    const a = c.args[i];
    s += a.type === 'pipe' ? '(' + pipeString(a) + ')' : nodeString(a);
  }
  return s;
}
