// Fuzzing: mutated corpus snippets and random token soups never make the parser throw, hang or
// lose bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';
import { parseHcl, printHcl } from '../../server/src/syntax/hcl';

const SEEDS = [
  'resource "azurerm_databricks_workspace" "this" {\n  name = "ws-${var.env}"\n  sku  = var.sku\n  custom_parameters {\n    no_public_ip = true\n  }\n}\n',
  'locals {\n  m = { for k, v in var.x : k => v if v != null }\n  l = [for s in var.l : upper(s)]\n  h = <<-EOT\n    a ${b} %{ if c }d%{ endif }\n    EOT\n}\n',
  'variable "x" {\n  type = map(object({ a = string }))\n  default = { a = { a = "b" } } # c\n}\n/* x */ output "o" { value = a.b[*].c[0] ? -1 : !true }\n',
];
const FRAGMENTS = ['{', '}', '[', ']', '(', ')', '"', '${', '%{', '~}', '<<EOT\n', '\nEOT\n', '<<-X\n', '#', '//', '/*', '*/', '\n', '\r\n', '=', ':', ',', '...', '.*', '[*]', '?', '=>', 'for', 'in', 'if', ' ', '\\', '$${', '\uFEFF', 'é', '\t'];

const MAX_CASES = 20_000;

test('fuzz: mutated inputs never throw and stay lossless (the slowest parse is printed; `npm run fuzz` holds the 1 s limit)', (ctx) => {
  const c = corpusOrSkip();
  const seeds = [...SEEDS];
  if (!('skip' in c)) {
    const files = corpusFiles('databricks/terraform', (n) => n.endsWith('.tf')).slice(0, 60);
    for (const f of files) seeds.push(readFileSync(f, 'utf8').slice(0, 3000));
  }
  let cases = 0;
  let slowest = 0;
  const mutation = fc.record({
    seed: fc.nat({ max: seeds.length - 1 }),
    ops: fc.array(
      fc.record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        del: fc.nat({ max: 8 }),
        insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });
  fc.assert(
    fc.property(mutation, ({ seed, ops }) => {
      let text = seeds[seed];
      for (const op of ops) {
        const at = Math.floor(op.at * text.length);
        text = text.slice(0, at) + op.insert + text.slice(at + op.del);
      }
      const t0 = performance.now();
      const r = parseHcl(text);
      const printed = printHcl(r.tree);
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      cases++;
      assert.equal(printed, text);
      for (const e of r.errors) assert.ok(e.span.start >= 0 && e.span.end <= text.length);
    }),
    { numRuns: MAX_CASES, seed: 20260101 },
  );
  console.log(`fuzz: ${cases} mutated inputs, slowest parse ${slowest.toFixed(1)} ms`);
  ctx.diagnostic(`cases ${cases}`);
});

test('fuzz: random token soups', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...FRAGMENTS, 'a', 'b', '1', '"x"'), { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      const r = parseHcl(text);
      assert.equal(printHcl(r.tree), text);
    }),
    { numRuns: 5000, seed: 7 },
  );
});
