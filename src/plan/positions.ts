// Where a path of the plan sits in its YAML source, as a character span: the node itself, its key,
// or a span inside a string (a rule's syntax error).

import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, Scalar } from 'yaml';
import type { Path } from './schema-walk.js';

export interface Span {
  start: number;
  end: number;
}

type Parent = { node: Node; pair?: Pair<unknown, unknown> };

/** The node at `path` and the pair holding it, walking as deep as the document goes. */
export function locate(doc: Document, path: Path): { node: Node | undefined; pair?: Pair; depth: number } {
  let node: Node | undefined = (doc.contents as Node | null) ?? undefined;
  let pair: Pair | undefined;
  let depth = 0;
  for (const key of path) {
    const next = childOf(node, key);
    if (!next) break;
    ({ node, pair } = next as { node: Node; pair?: Pair });
    depth += 1;
  }
  return { node, ...(pair ? { pair } : {}), depth };
}

function childOf(node: Node | undefined, key: PropertyKey): Parent | undefined {
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return item ? { node: item as Node } : undefined;
  }
  if (isMap(node)) {
    const pair = findPair(node.items, key);
    if (!pair) return undefined;
    // `key:` with no value: the key itself is the closest thing to point at.
    return { node: (pair.value ?? pair.key) as Node, pair };
  }
  return undefined;
}

/** The pair whose key is `key` (keys are compared as text, as zod paths hold them). */
export function findPair(items: readonly Pair<unknown, unknown>[], key: PropertyKey): Pair | undefined {
  return items.find((item) => isPair(item) && keyText(item.key) === String(key)) as Pair | undefined;
}

export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** The span of a node; for a block collection only its first line, which is where the eye lands. */
export function spanOf(node: Node | null | undefined, source: string): Span | undefined {
  if (!node?.range) return undefined;
  const [start, valueEnd] = node.range;
  if (isScalar(node) || isAlias(node)) return { start, end: Math.max(valueEnd, start + 1) };
  const lineEnd = source.indexOf('\n', start);
  return { start, end: Math.max(start + 1, Math.min(valueEnd, lineEnd === -1 ? valueEnd : lineEnd)) };
}

/** Where a map key sits (for unknown keys and for problems about a whole section). */
export function keySpan(pair: Pair | undefined, source: string): Span | undefined {
  return pair ? spanOf(pair.key as Node, source) : undefined;
}

/** The span of characters `offset`..`offset + length` of a string scalar's value, allowing for quotes. */
export function spanInScalar(node: Node, offset: number, length: number, source: string): Span | undefined {
  if (!isScalar(node) || !node.range || typeof node.value !== 'string') return undefined;
  const [start, valueEnd] = node.range;
  const contentStart =
    node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? start + 1 : start;
  const written = source.slice(contentStart, valueEnd);
  // Block scalars and escapes make the written text differ from the value; then find the value's prefix.
  const base = written.startsWith(node.value.slice(0, offset + length))
    ? contentStart
    : source.indexOf(node.value.slice(0, Math.max(1, offset)), start);
  if (base === -1) return undefined;
  return { start: base + offset, end: base + offset + Math.max(1, length) };
}
