// Every Terraform folder of the corpus loads as a unit: no internal error, every resource's
// head is its labels, and every value's location lies inside its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { diskHost } from '../../server/src/engine';
import { terraformFrontEnd } from '../../server/src/frontends/terraform';
import type { Unit, Value } from '../../server/src/model/types';
import { corpusFiles, corpusOrSkip, corpusRoot } from '../helpers/corpus';

function checkValue(v: Value, unit: Unit, where: string, problems: string[]): void {
  for (const l of [v.loc, v.origin?.at]) {
    if (!l) continue;
    const f = unit.files.find((x) => x.path === l.file);
    if (!f || l.span.start < 0 || l.span.end > f.text.length || l.span.start > l.span.end) problems.push(`${where}: bad location ${JSON.stringify(l)}`);
  }
  if (v.kind === 'object') for (const p of v.props) checkValue(p.value, unit, `${where}.${p.key}`, problems);
  if (v.kind === 'array') v.items.forEach((x, i) => checkValue(x, unit, `${where}[${i}]`, problems));
}

test('corpus: every Terraform folder loads into a consistent unit', (ctx) => {
  const c = corpusOrSkip();
  if ('skip' in c) return ctx.skip(c.skip);
  const dirs = new Set([
    ...corpusFiles('databricks/terraform', (n) => n.endsWith('.tf')).map((f) => dirname(f)),
    ...corpusFiles('parse/terraform', (n) => n.endsWith('.tf')).map((f) => dirname(f)),
  ]);
  const host = diskHost([corpusRoot]);
  const problems: string[] = [];
  let resources = 0;
  let viaModules = 0;
  let workspaces = 0;
  for (const dir of dirs) {
    const unit = terraformFrontEnd.loadUnit(dir, host);
    for (const f of unit.files) for (const e of f.syntaxErrors) problems.push(`${f.path}: ${e.message}`);
    for (const r of unit.resources) {
      resources++;
      if (r.viaModule) viaModules++;
      if (r.kind === 'Microsoft.Databricks/workspaces') workspaces++;
      const text = unit.files.find((f) => f.path === r.file)!.text;
      const head = text.slice(r.head.start, r.head.end);
      if (!head.startsWith('"') && !/^[A-Za-z_]/.test(head)) problems.push(`${r.id}: head is ${JSON.stringify(head)}`);
      checkValue(r.body, unit, r.id, problems);
    }
  }
  console.log(`corpus units: ${dirs.size} folders, ${resources} resources (${viaModules} through local modules), ${workspaces} Databricks workspaces`);
  assert.deepEqual(problems.slice(0, 10), []);
});
