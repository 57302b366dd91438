// Every Terraform file of the corpus parses without errors and prints back byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';
import { parseHcl, printHcl } from '../../server/src/syntax/hcl';

test('corpus: zero syntax errors and a byte-exact round trip', (ctx) => {
  const c = corpusOrSkip();
  if ('skip' in c) return ctx.skip(c.skip);
  const accept = (n: string) => n.endsWith('.tf') || n.endsWith('.tfvars');
  const files = [...corpusFiles('parse/terraform', accept), ...corpusFiles('databricks/terraform', accept)];
  const withErrors: string[] = [];
  const notExact: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const r = parseHcl(text);
    if (r.errors.length) withErrors.push(`${file}: ${r.errors[0].message} at ${r.errors[0].span.start}`);
    if (printHcl(r.tree) !== text) notExact.push(file);
  }
  const tf = files.filter((f) => f.endsWith('.tf')).length;
  console.log(`corpus: ${tf} .tf + ${files.length - tf} .tfvars files; ${withErrors.length} with errors; ${notExact.length} not byte-exact`);
  assert.deepEqual(withErrors, []);
  assert.deepEqual(notExact, []);
});
