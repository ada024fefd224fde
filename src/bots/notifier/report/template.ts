import { WecombotError } from '../../../errors.js';

/**
 * A deliberately small template language for "daily report" pushes:
 * - `{{path.to.value}}` inserts a value (`{{.}}` is the current item, `{{text}}` a text body);
 * - `{{#each path}} … {{/each}}` repeats for each array item, with the item as the scope;
 * - `{{#if path}} … {{/if}}` keeps the block when the value is truthy (non-empty arrays too).
 * Missing values render as an empty string: a report with a gap beats no report.
 */
export class TemplateError extends WecombotError {
  constructor(message: string) {
    super('template_invalid', message, { hint: 'check the {{#each}}/{{#if}} blocks are closed in order' });
  }
}

type Node =
  { kind: 'text'; text: string } | { kind: 'value'; path: string } | { kind: 'block'; op: 'each' | 'if'; path: string; body: Node[] };

const TAG = /\{\{\s*([#/]?)(\w*)\s*([^}]*?)\s*\}\}/g;

function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ op: 'each' | 'if'; body: Node[] }> = [];
  let current = root;
  let last = 0;
  for (const match of template.matchAll(TAG)) {
    const [whole, sigil, word, rest] = match as unknown as [string, string, string, string];
    if (match.index > last) current.push({ kind: 'text', text: template.slice(last, match.index) });
    last = match.index + whole.length;
    if (sigil === '#') {
      if (word !== 'each' && word !== 'if') throw new TemplateError(`unknown block {{#${word}}}`);
      const block: Node = { kind: 'block', op: word, path: rest, body: [] };
      current.push(block);
      stack.push({ op: word, body: current });
      current = block.body;
    } else if (sigil === '/') {
      const open = stack.pop();
      if (!open || open.op !== word) throw new TemplateError(`{{/${word}}} closes nothing open`);
      current = open.body;
    } else {
      current.push({ kind: 'value', path: `${word}${rest}`.trim() });
    }
  }
  if (stack.length > 0) throw new TemplateError(`{{#${stack[stack.length - 1]!.op}}} is never closed`);
  if (last < template.length) current.push({ kind: 'text', text: template.slice(last) });
  return root;
}

function lookup(scope: unknown, path: string): unknown {
  if (path === '.' || path === 'this') return scope;
  let value: unknown = scope;
  for (const part of path.replace(/^this\./, '').split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function render(nodes: Node[], scope: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'value') out += display(lookup(scope, node.path));
    else {
      const value = lookup(scope, node.path);
      if (node.op === 'each') {
        if (Array.isArray(value)) for (const item of value) out += render(node.body, item);
      } else if (Array.isArray(value) ? value.length > 0 : Boolean(value)) {
        out += render(node.body, scope);
      }
    }
  }
  return out;
}

/** Compiles once, renders many times; syntax errors surface at compile (start-up) time. */
export function compileTemplate(template: string): (data: unknown) => string {
  const nodes = parse(template);
  return (data) => render(nodes, data);
}
