// Differential test against HashiCorp's HCL parser (Go, compiled to WASM in @cdktf/hcl2json):
// every block and every attribute whose value is a literal must agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';
import { parseHcl, literalValue, labelText, type Body, type HclLiteral } from '../../server/src/syntax/hcl';


/** hcl2json writes Terraform JSON syntax, where a literal `${` / `%{` is escaped as `$${` / `%%{`. */
function asTerraformJson(v: HclLiteral | undefined): unknown {
  if (typeof v === 'string') return v.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (Array.isArray(v)) return v.map(asTerraformJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asTerraformJson(x)]));
  return v;
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

interface Tally {
  blocks: number;
  blocksAgree: number;
  attrs: number;
  attrsAgree: number;
  mismatches: string[];
}

function isObj(v: unknown): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compares one body with hcl2json's object for it; counts blocks and literal attributes. */
function compareBody(body: Body, theirs: JsonValue | undefined, where: string, t: Tally): void {
  const seen = new Map<string, number>();
  for (const item of body.items) {
    if (item.kind === 'Attribute') {
      const ours: HclLiteral | undefined = literalValue(item.expr);
      if (ours === undefined) continue;
      t.attrs++;
      const other = isObj(theirs) ? theirs[item.name.text] : undefined;
      if (isDeepStrictEqual(asTerraformJson(ours), other)) t.attrsAgree++;
      else t.mismatches.push(`${where}.${item.name.text}: ours ${JSON.stringify(ours)} theirs ${JSON.stringify(other)}`);
    } else if (item.kind === 'Block') {
      t.blocks++;
      const path = [item.type.text, ...item.labels.map(labelText)];
      const key = path.join('\u0000');
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      let node: JsonValue | undefined = theirs;
      for (const p of path) node = isObj(node) ? node[p] : undefined;
      const instance = Array.isArray(node) ? node[index] : undefined;
      const name = `${where}/${path.join('.')}[${index}]`;
      if (isObj(instance)) {
        t.blocksAgree++;
        compareBody(item.body, instance, name, t);
      } else t.mismatches.push(`${name}: block missing in hcl2json output`);
    }
  }
}

test('agrees with HashiCorp HCL (hcl2json) on blocks and literal attributes', async (ctx) => {
  const c = corpusOrSkip();
  if ('skip' in c) return ctx.skip(c.skip);
  const files = [
    ...corpusFiles('parse/terraform', (n) => n.endsWith('.tf') || n.endsWith('.tfvars')),
    ...corpusFiles('databricks/terraform', (n) => n.endsWith('.tf') || n.endsWith('.tfvars')),
  ];
  const t: Tally = { blocks: 0, blocksAgree: 0, attrs: 0, attrsAgree: 0, mismatches: [] };
  let skipped = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let theirs: JsonValue;
    try {
      theirs = (await hcl2json(file, text)) as JsonValue;
    } catch {
      skipped++;
      continue;
    }
    const ours = parseHcl(text);
    compareBody(ours.tree.body, theirs, file.slice(file.indexOf('terraform/')), t);
  }
  const agree = t.blocksAgree + t.attrsAgree;
  const total = t.blocks + t.attrs;
  console.log(
    `hcl2json differential: ${files.length} files (${skipped} rejected by hcl2json); ` +
      `blocks ${t.blocksAgree}/${t.blocks}, literal attributes ${t.attrsAgree}/${t.attrs}, ` +
      `agreement ${agree}/${total} = ${((100 * agree) / Math.max(1, total)).toFixed(2)}%`,
  );
  for (const m of t.mismatches.slice(0, 20)) console.log('  mismatch', m);
  assert.equal(t.mismatches.length, 0, `${t.mismatches.length} mismatches`);
});
