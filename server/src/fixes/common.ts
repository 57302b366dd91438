// Edit utilities the three renderers share: the context of one fix (what its earlier intents
// created), unique names, whole-line removal, line ends.
import type { EditBuilder, RenderedFix } from '../frontends/types';
import type { Dialect, Resource, Unit } from '../model/types';
import { lineIndexOf, type Span, type TextEdit } from '../text';
import type { BodyValue, FixIntent, Ref } from './intent';
import { isBlocks, isRef } from './intent';

/** What an earlier intent of the same fix created, by its `as` key. */
export type Created =
  | { kind: 'parameter'; name: string; file: string }
  | {
      kind: 'resource';
      /** Bicep symbol / Terraform `type.label` / ARM type. */
      symbol: string;
      /** ARM: the full type (`Microsoft.Network/privateEndpoints`). */
      type: string;
      /** ARM: the name expression without brackets (`parameters('x')`, `'literal'`). */
      nameExpr?: string;
      file: string;
      /** The edit that inserts it (Terraform children are added to its text). */
      edit: TextEdit;
    };

/** State shared by the intents of one fix while they are rendered. */
export class RenderContext {
  readonly created = new Map<string, Created>();
  /** Names taken per scope (a file, or a Terraform module folder), including the ones created here. */
  private readonly taken = new Map<string, { before: ReadonlySet<string>; added: Set<string> }>();

  /**
   * A name like `base` (then `base2`, or `base_2` with `sep`) that is not taken in `scope`, then
   * taken. Names compare case-insensitively (kept lower-case).
   */
  claim(scope: string, base: string, existing: () => Iterable<string>, sep = ''): string {
    let taken = this.taken.get(scope);
    if (!taken) this.taken.set(scope, (taken = { before: lowerCased(existing()), added: new Set() }));
    const isTaken = (n: string) => taken.before.has(n.toLowerCase()) || taken.added.has(n.toLowerCase());
    let name = base;
    for (let i = 2; isTaken(name); i++) name = `${base}${sep}${i}`;
    taken.added.add(name.toLowerCase());
    return name;
  }

  parameter(as: string): Extract<Created, { kind: 'parameter' }> | undefined {
    const c = this.created.get(as);
    return c?.kind === 'parameter' ? c : undefined;
  }

  resource(as: string): Extract<Created, { kind: 'resource' }> | undefined {
    const c = this.created.get(as);
    return c?.kind === 'resource' ? c : undefined;
  }
}

/**
 * The lower-cased names of a list; a list a renderer memoises per text (every fix of a large file
 * asks for its names) is lower-cased once.
 */
const lowered = new WeakMap<object, ReadonlySet<string>>();
function lowerCased(names: Iterable<string>): ReadonlySet<string> {
  let set = lowered.get(names);
  if (!set) {
    set = new Set([...names].map((n) => n.toLowerCase()));
    lowered.set(names, set);
  }
  return set;
}

/** `ws` + `subnetId` → `wsSubnetId`. */
export function camelName(stem: string, name: string): string {
  const clean = stem.replace(/[^A-Za-z0-9_]/g, '');
  if (!clean || !/^[A-Za-z_]/.test(clean)) return name;
  return clean + name.charAt(0).toUpperCase() + name.slice(1);
}

/** `privateEndpointSubnetId` → `private_endpoint_subnet_id`. */
export function snakeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toLowerCase();
}

export function fileText(unit: Unit, path: string): string | undefined {
  return unit.files.find((f) => f.path === path)?.text;
}

/**
 * The span that removes `span` and, when nothing but whitespace (and, with `commentAfter`, a
 * trailing comment) shares its lines, the whole lines with their line break.
 */
export function wholeLineSpan(text: string, span: Span, opts: { trailingComma?: boolean; commentAfter?: boolean } = {}): Span {
  const lines = lineIndexOf(text);
  const startLine = lines.positionAt(span.start).line;
  const lineStart = lines.lineStart(startLine);
  let after = span.end;
  while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
  if (opts.trailingComma && text[after] === ',') {
    after++;
    while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
  }
  const endLine = lines.positionAt(after).line;
  const lineEnd = lines.lineEnd(endLine);
  const rest = text.slice(after, lineEnd);
  const alone = text.slice(lineStart, span.start).trim() === '' && (rest.trim() === '' || (opts.commentAfter === true && /^\s*(#|\/\/)/.test(rest)));
  if (!alone) return { start: span.start, end: opts.trailingComma ? after : span.end };
  const next = endLine + 1 < lines.lineCount ? lines.lineStart(endLine + 1) : text.length;
  return { start: lineStart, end: next };
}

/** The end of the line that holds `offset` (before its line break). */
export function lineEndAt(text: string, offset: number): number {
  const lines = lineIndexOf(text);
  return lines.lineEnd(lines.positionAt(offset).line);
}

/** Whether a body value (or anything in it) is of a kind the resolver cannot express. */
export function walkRefs(v: BodyValue, visit: (r: Ref) => void): void {
  if (v === null || typeof v !== 'object') return;
  if (isRef(v)) {
    visit(v);
    if (v.$ref === 'concat') for (const p of v.parts) if (typeof p !== 'string') visit(p);
    return;
  }
  if (isBlocks(v)) {
    for (const b of v.$blocks) for (const x of Object.values(b)) walkRefs(x, visit);
    return;
  }
  if (Array.isArray(v)) v.forEach((x) => walkRefs(x, visit));
  else for (const x of Object.values(v)) walkRefs(x, visit);
}

/** Model resources a body refers to (for ARM `dependsOn`). */
export function referencedResources(v: BodyValue): Resource[] {
  const out: Resource[] = [];
  walkRefs(v, (r) => {
    if (r.$ref === 'resource' && !('as' in r.resource) && !out.includes(r.resource)) out.push(r.resource);
  });
  return out;
}

/** The file an intent edits first, for messages. */
export function intentDialectOk(intent: FixIntent, dialect: Dialect): boolean {
  if (intent.op === 'addResource' || intent.op === 'addChild') {
    return dialect === 'terraform' ? intent.body.terraform !== undefined : intent.body.arm !== undefined;
  }
  return true;
}

/** Thrown while rendering a value the dialect cannot express here (a reference across modules…). */
export class Unwritable extends Error {}

/** Runs `f`; undefined when it finds something it cannot write. */
export function guard<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof Unwritable) return undefined;
    throw e;
  }
}

/** One renderer a fix intent kind, for a dialect. */
export type IntentRenderers = {
  [K in FixIntent['op']]: (intent: Extract<FixIntent, { op: K }>, unit: Unit, ctx: RenderContext) => RenderedFix | undefined;
};

/** A dialect's edit builder from its renderers: every intent rendered with the fix's context. */
export function editBuilder(renderers: IntentRenderers, bindArgument?: EditBuilder['bindArgument']): EditBuilder {
  return {
    render(intent, unit, ctx = new RenderContext()) {
      const render = renderers[intent.op] as (i: FixIntent, u: Unit, c: RenderContext) => RenderedFix | undefined;
      return guard(() => render(intent, unit, ctx));
    },
    bindArgument: bindArgument && ((unit, edit, call) => guard(() => bindArgument(unit, edit, call))),
  };
}

/** Removes a declaration's lines, and the blank line after it when one precedes it too. */
export function removeDeclaration(text: string, file: string, span: Span): TextEdit {
  const { start, end } = wholeLineSpan(text, span);
  const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(end));
  const blankBefore = start === 0 || /\n[ \t]*\r?\n$/.test(text.slice(0, start));
  return { file, span: { start, end: blankAfter && blankBefore ? end + blankAfter[0].length : end }, newText: '' };
}
