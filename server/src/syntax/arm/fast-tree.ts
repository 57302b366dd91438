// A fast JSON tree builder for the common case: plain JSON (trailing commas allowed) nested at
// most MAX_JSON_DEPTH deep. It builds the same Node tree as jsonc-parser's parseTree with
// { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true } and gives up
// (returns undefined) on anything else: a syntax error, a comment, empty content, a control
// character in a string, deeper nesting. The caller then parses with jsonc-parser.
import type { Node as JsonNode, NodeType } from 'jsonc-parser';

/** jsonc-parser's Node while it is built (its fields are read-only). */
interface Node {
  type: NodeType;
  value?: string | number | boolean | null;
  offset: number;
  length: number;
  colonOffset?: number;
  parent?: Node;
  children?: Node[];
}

/** The tree of `text`, or undefined when the text is not plain JSON nested at most `maxDepth` deep. */
export function fastJsonTree(text: string, maxDepth: number): JsonNode | undefined {
  const len = text.length;
  let pos = skipSpace(text, 0, len);
  if (pos >= len) return undefined;
  // Open containers, innermost last; `top` is the innermost (undefined at the top level).
  const stack: Node[] = [];
  let top: Node | undefined;
  let root: Node | undefined;
  // The children of the open containers one after the other: a container takes its own (from its
  // mark on) when it closes, so that each children array is allocated once, at its final length.
  const items: Node[] = [];
  let count = 0;
  const marks: number[] = [];
  // Where the next value goes: the innermost array, or a property (then `key` is its key).
  let holder: Node | undefined;
  let key: Node | undefined;
  for (;;) {
    // A value starts at `pos`.
    let c = text.charCodeAt(pos);
    let node: Node;
    // A non-empty container was opened: its first member comes next.
    let opened = false;
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (stack.length === maxDepth) return undefined;
      const type = c === 123 ? 'object' : 'array';
      node = holder ? { type, offset: pos, length: -1, parent: holder, children: undefined } : { type, offset: pos, length: -1, children: undefined };
      if (holder === undefined) root = node;
      else if (key !== undefined) holder.children = [key, node];
      else items[count++] = node;
      pos = skipSpace(text, pos + 1, len);
      c = text.charCodeAt(pos);
      if (c === (type === 'object' ? 125 /* } */ : 93 /* ] */)) {
        // Empty.
        pos++;
        node.length = pos - node.offset;
        node.children = [];
      } else {
        marks.push(count);
        stack.push(node);
        top = node;
        opened = true;
      }
    } else {
      const start = pos;
      let value: string | number | boolean | null;
      let type: 'string' | 'number' | 'boolean' | 'null';
      if (c === 34 /* " */) {
        const end = stringEnd(text, pos, len);
        if (end < 0) return undefined;
        const s = needsDecoding ? decodeString(text, pos + 1, end - 1) : text.substring(pos + 1, end - 1);
        if (s === undefined) return undefined;
        value = s;
        type = 'string';
        pos = end;
      } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
        const end = numberEnd(text, pos, len);
        if (end < 0) return undefined;
        value = numberValue(text, pos, end);
        type = 'number';
        pos = end;
      } else if (c === 116 /* t */ && text.startsWith('true', pos)) {
        value = true;
        type = 'boolean';
        pos += 4;
      } else if (c === 102 /* f */ && text.startsWith('false', pos)) {
        value = false;
        type = 'boolean';
        pos += 5;
      } else if (c === 110 /* n */ && text.startsWith('null', pos)) {
        value = null;
        type = 'null';
        pos += 4;
      } else return undefined;
      node = holder ? { type, offset: start, length: pos - start, parent: holder, value } : { type, offset: start, length: pos - start, value };
      if (holder === undefined) root = node;
      else if (key !== undefined) holder.children = [key, node];
      else items[count++] = node;
    }
    // `node` ended at `pos`: close the containers that end after it, up to the next value.
    while (!opened) {
      const parent = node.parent;
      if (parent !== undefined && parent.type === 'property') parent.length = pos - parent.offset;
      pos = skipSpace(text, pos, len);
      if (top === undefined) return pos === len ? root : undefined;
      c = text.charCodeAt(pos);
      const close = top.type === 'object' ? 125 : 93;
      if (c === 44 /* , */) {
        pos = skipSpace(text, pos + 1, len);
        c = text.charCodeAt(pos);
        if (c !== close) break;
        // A trailing comma: the container closes.
      } else if (c !== close) return undefined;
      pos++;
      top.length = pos - top.offset;
      const mark = marks.pop()!;
      top.children = items.slice(mark, count);
      count = mark;
      node = top;
      stack.pop();
      top = stack.length ? stack[stack.length - 1] : undefined;
    }
    // At the first member of a container just opened, or after a comma: the next element or property.
    if (top === undefined) return undefined;
    if (top.type === 'object') {
      key = startProperty(text, pos, len, top);
      if (key === undefined) return undefined;
      holder = key.parent!;
      items[count++] = holder;
      pos = skipSpace(text, holder.colonOffset! + 1, len);
    } else {
      holder = top;
      key = undefined;
    }
  }
}

/** Whether the last string scanned by stringEnd has an escape. */
let needsDecoding = false;

/** The key of a new property of `object` whose key starts at `pos` (its value follows its colon), or undefined. */
function startProperty(text: string, pos: number, len: number, object: Node): Node | undefined {
  if (text.charCodeAt(pos) !== 34) return undefined;
  const end = stringEnd(text, pos, len);
  if (end < 0) return undefined;
  const name = needsDecoding ? decodeString(text, pos + 1, end - 1) : text.substring(pos + 1, end - 1);
  if (name === undefined) return undefined;
  const colon = skipSpace(text, end, len);
  if (text.charCodeAt(colon) !== 58 /* : */) return undefined;
  // Its children ([key, value]) are set with its value.
  const property: Node = { type: 'property', offset: pos, length: -1, parent: object, children: undefined, colonOffset: colon };
  return { type: 'string', value: name, offset: pos, length: end - pos, parent: property };
}

/** The offset after the blanks (space, tab, line breaks) from `pos`. */
function skipSpace(text: string, pos: number, len: number): number {
  while (pos < len) {
    const c = text.charCodeAt(pos);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    pos++;
  }
  return pos;
}

/**
 * The offset after the closing quote of the string whose opening quote is at `pos`, or -1 when it
 * is not closed or holds a control character or a backslash not followed by any character. Sets
 * needsDecoding.
 */
function stringEnd(text: string, pos: number, len: number): number {
  let escaped = false;
  for (let i = pos + 1; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      needsDecoding = escaped;
      return i + 1;
    }
    if (c === 92 /* \ */) {
      escaped = true;
      i++;
      if (i >= len || text.charCodeAt(i) < 32) return -1;
    } else if (c < 32) return -1;
  }
  return -1;
}

/** The value of the string body from `start` to `end` with its escapes decoded, or undefined on an invalid escape. */
function decodeString(text: string, start: number, end: number): string | undefined {
  let out = '';
  let from = start;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== 92) continue;
    out += text.substring(from, i);
    const e = text.charCodeAt(i + 1);
    i++;
    switch (e) {
      case 34:
        out += '"';
        break;
      case 92:
        out += '\\';
        break;
      case 47:
        out += '/';
        break;
      case 98:
        out += '\b';
        break;
      case 102:
        out += '\f';
        break;
      case 110:
        out += '\n';
        break;
      case 114:
        out += '\r';
        break;
      case 116:
        out += '\t';
        break;
      case 117: {
        if (i + 4 >= end) return undefined;
        let code = 0;
        for (let k = 1; k <= 4; k++) {
          const h = hexValue(text.charCodeAt(i + k));
          if (h < 0) return undefined;
          code = code * 16 + h;
        }
        out += String.fromCharCode(code);
        i += 4;
        break;
      }
      default:
        return undefined;
    }
    from = i + 1;
  }
  return out + text.substring(from, end);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** The offset after the number starting at `pos` (JSON grammar), or -1 when it is malformed. */
function numberEnd(text: string, pos: number, len: number): number {
  let i = pos;
  if (text.charCodeAt(i) === 45) i++;
  let c = text.charCodeAt(i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) {
    i++;
    while (i < len && isDigit(text.charCodeAt(i))) i++;
  } else return -1;
  c = text.charCodeAt(i);
  if (c === 46 /* . */) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    i++;
    while (i < len && isDigit(text.charCodeAt(i))) i++;
    c = text.charCodeAt(i);
  }
  if (c === 101 || c === 69 /* e E */) {
    i++;
    c = text.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    i++;
    while (i < len && isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The number from `start` to `end`, as Number() reads it; short integers are summed directly (exact below 2^53). */
function numberValue(text: string, start: number, end: number): number {
  const negative = text.charCodeAt(start) === 45;
  const from = negative ? start + 1 : start;
  if (end - from > 15) return Number(text.substring(start, end));
  let n = 0;
  for (let i = from; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(text.substring(start, end));
    n = n * 10 + d;
  }
  return negative ? -n : n;
}
