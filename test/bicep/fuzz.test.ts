// Random truncations, deletions and insertions of corpus files: the parser never throws, stays
// fast, and the printed tree is still exactly the (broken) input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';
import { parseBicep, printBicep, tokensOf } from '../../server/src/syntax/bicep/index';
import type { Statement } from '../../server/src/syntax/bicep/index';
import { loadBicepUnit } from '../../server/src/frontends/bicep/lower';
import { memoryHost } from './memhost';

const FRAGMENTS = [
  '{', '}', '[', ']', '(', ')', "'", "'''", '${', ':', ',', '\n', '\r\n', ' ', '\t', '=', '=>', '?', '??', '.?', '!',
  '::', '...', '@', '#disable-next-line x', '//', '/*', '*/', 'param ', 'var ', 'resource ', 'module ', 'for ', 'if ',
  'in ', 'existing ', 'output ', 'type ', 'func ', 'import ', '|', '\\', 'x', '1', '-', '\uFEFF', '\u00e9', '\ud83d',
];

function loadTexts(): string[] {
  const files = [
    ...corpusFiles('databricks/bicep', (n) => n.endsWith('.bicep')),
    ...corpusFiles('parse/bicep', (n) => n.endsWith('.bicep')),
  ];
  return files.map((f) => readFileSync(f, 'utf8'));
}

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'delete'; at: number; len: number }
  | { op: 'insert'; at: number; text: string };

function apply(text: string, m: Mutation): string {
  const at = Math.floor(m.at * (text.length + 1));
  if (m.op === 'truncate') return text.slice(0, at);
  if (m.op === 'delete') return text.slice(0, at) + text.slice(at + m.len);
  return text.slice(0, at) + m.text + text.slice(at);
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.oneof(fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 }).map((a) => a.join('')), fc.string({ maxLength: 12 })),
  }),
);

test('fuzz: mutated corpus files never throw and print back exactly (the slowest parse is printed; `npm run fuzz` holds the 1 s limit)', (t) => {
  const corpus = corpusOrSkip();
  if ('skip' in corpus) {
    t.skip(corpus.skip);
    return;
  }
  const texts = loadTexts();
  assert.ok(texts.length > 0);
  let cases = 0;
  let slowest = 0;
  fc.assert(
    fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (fileIndex, mutations) => {
      let text = texts[fileIndex];
      for (const m of mutations) text = apply(text, m);
      const t0 = performance.now();
      const r = parseBicep(text);
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      cases++;
      assert.equal(printBicep(r.tree), text);
      for (const e of r.errors) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length);
    }),
    { numRuns: 20000, seed: 20260101 },
  );
  console.log(`bicep fuzz: ${cases} parser cases, slowest ${slowest.toFixed(1)} ms`);
});

test('fuzz: lowering mutated Databricks templates never fails internally', (t) => {
  const corpus = corpusOrSkip();
  if ('skip' in corpus) {
    t.skip(corpus.skip);
    return;
  }
  const texts = corpusFiles('databricks/bicep', (n) => n.endsWith('.bicep')).map((f) => readFileSync(f, 'utf8'));
  let cases = 0;
  fc.assert(
    fc.property(fc.nat({ max: texts.length - 1 }), mutation, (fileIndex, m) => {
      const text = apply(texts[fileIndex], m);
      const unit = loadBicepUnit('/ws/main.bicep', memoryHost({ '/ws/main.bicep': text }));
      cases++;
      for (const f of unit.files) for (const e of f.syntaxErrors) assert.ok(!e.message.startsWith('Internal error'), e.message);
    }),
    { numRuns: 1500, seed: 7 },
  );
  console.log(`bicep fuzz: ${cases} lowering cases`);
});

function signature(s: Statement): string {
  return 'name' in s && s.name ? `${s.kind}:${s.name.text}` : s.kind;
}

test('fuzz: a half-typed or garbled declaration never swallows the declarations after it', (t) => {
  const corpus = corpusOrSkip();
  if ('skip' in corpus) {
    t.skip(corpus.skip);
    return;
  }
  const texts = loadTexts().filter((x) => x.length < 60000);
  // Fragments a user may type in the middle of a declaration (an opening ''' or /* legitimately
  // runs to the end of the file, so they are left out).
  const typed = ['@description(', 'resource ', 'x.', 'x::', '...', 'a ?? ', 'func f(', 'type t = ', '{', '[', '(', "'", '${', ':', ',', '=', '?', '.', '!', '@', 'x', ' ', '-', '=>', '[for x in ', 'if ('];
  let cases = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: texts.length - 1 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.option(fc.constantFrom(...typed), { nil: undefined }),
      (fileIndex, whichDecl, where, fragment) => {
        const text = texts[fileIndex];
        const tree = parseBicep(text).tree;
        const stmts = tree.statements.filter((s) => s.kind !== 'BadStatement');
        if (stmts.length < 2) return;
        const k = Math.floor(whichDecl * (stmts.length - 1));
        const d = stmts[k];
        // Cut inside the declaration, but not inside a token or comment that runs over lines.
        const cut = d.start + Math.floor(where * (d.end - d.start));
        const toks = tokensOf(d);
        if (toks.some((tk) => tk.start < cut && cut < tk.end && tk.tk.startsWith('Multiline'))) return;
        if (toks.some((tk) => [...tk.leading, ...tk.trailing].some((tv) => tv.kind === 'blockComment' && tv.start < cut && cut < tv.end))) return;
        let lineEnd = d.end;
        while (lineEnd < text.length && text[lineEnd] !== '\n') lineEnd++;
        const mutated = text.slice(0, cut) + (fragment ?? '') + '\n' + text.slice(lineEnd);
        const after = stmts.slice(k + 1).filter((s) => s.start === 0 || text[s.start - 1] === '\n');
        const got = new Set(parseBicep(mutated).tree.statements.map(signature));
        cases++;
        for (const s of after) assert.ok(got.has(signature(s)), `lost ${signature(s)} after cutting ${signature(d)} at ${cut - d.start}`);
      },
    ),
    { numRuns: 3000, seed: 42 },
  );
  console.log(`bicep fuzz: ${cases} half-typed declaration cases`);
});
