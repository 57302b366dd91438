// Oracle: every fixed ARM template (the `.fixed.json` fixtures and the fix-all result of every
// Databricks corpus ARM template) gets no new type warning from the Bicep CLI's type definitions.
// `bicep decompile` costs a process per template, so each template's resources are written as Bicep
// resource declarations instead (ARM expressions become `any('')`, so only literal names and values
// are checked) and compiled through one `bicep jsonrpc` process, before and after the fix.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'jsonc-parser';
import { analyzePath, diskHost } from '../../server/src/engine';
import { fixAll } from '../../server/src/engine/fixAll';
import { corpusFiles, corpusOrSkip, corpusRoot, repoRoot } from '../helpers/corpus';
import { BicepRpc, bicepMissing, compilerProblems, newProblems, oracleAvailable } from '../helpers/oracles';

interface Expectations {
  armTypes: Record<string, string>;
}
const expectations = JSON.parse(readFileSync(join(__dirname, 'expectations.json'), 'utf8')) as Expectations;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resource members that are not part of the resource type's body. */
const NOT_BODY = new Set(['type', 'apiversion', 'dependson', 'copy', 'condition', 'comments', 'resources', 'metadata', 'existing', 'scope']);

function bicepValue(v: Json, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : `json('${v}')`;
  if (typeof v === 'string') {
    if (v.startsWith('[') && !v.startsWith('[[') && v.endsWith(']')) return "any('')";
    const s = v.startsWith('[[') ? v.slice(1) : v;
    return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}'`;
  }
  const inner = indent + '  ';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => inner + bicepValue(x, inner)).join('\n')}\n${indent}]`;
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}': ${bicepValue(x, inner)}`).join('\n')}\n${indent}}`;
}

/** Bicep resource declarations for the resources of an ARM template (nested children and nested templates too). */
export function armAsBicep(template: Json): string {
  const out: string[] = [];
  let n = 0;
  const walk = (resources: Json | undefined, parentType: string | undefined) => {
    const list = Array.isArray(resources) ? resources : isObject(resources) ? Object.values(resources) : [];
    for (const r of list) {
      if (!isObject(r) || typeof r.type !== 'string' || typeof r.apiVersion !== 'string') continue;
      if (r.type.startsWith('[') || r.apiVersion.startsWith('[') || r.existing === true) continue;
      const type = parentType && !r.type.includes('/') ? `${parentType}/${r.type}` : r.type;
      const body: { [k: string]: Json } = {};
      for (const [k, v] of Object.entries(r)) if (!NOT_BODY.has(k.toLowerCase())) body[k] = v;
      // A name per resource, so that two resources of a type are not one to the compiler (BCP121),
      // long enough for every type's minimum name length (a workspace's is 3).
      body.name = `res${n}` + `/res${n}`.repeat(type.split('/').length - 2);
      out.push(`resource r${n++} '${type}@${r.apiVersion}' = ${bicepValue(body, '')}\n`);
      walk(r.resources, type);
      if (type.toLowerCase() === 'microsoft.resources/deployments' && isObject(r.properties) && isObject(r.properties.template)) {
        walk(r.properties.template.resources, undefined);
      }
    }
  };
  if (isObject(template)) walk(template.resources, undefined);
  return out.join('\n');
}

function fixedFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) fixedFixtures(p, out);
    else if (name.endsWith('.fixed.json')) out.push(p);
  }
  return out;
}

let rpc: BicepRpc | undefined;
after(() => rpc?.close());

/** Type-relevant compiler problems: anything the Bicep type check says about a literal. */
async function typeProblems(dir: string, name: string, template: string): Promise<string[]> {
  const file = join(dir, name);
  writeFileSync(file, armAsBicep(parse(template) as Json));
  rpc ??= new BicepRpc();
  return compilerProblems((await rpc.compile(file)).diagnostics);
}

test('oracle: fixed ARM templates get no new type warning from the Bicep type definitions', async (t) => {
  if (!oracleAvailable(t, bicepMissing())) return;
  const pairs: { key: string; before: string; after: string }[] = [];
  for (const fixed of [join(repoRoot, 'test', 'arm', 'fixtures'), join(repoRoot, 'test', 'fixes', 'fixtures', 'arm')].flatMap((d) => fixedFixtures(d))) {
    const before = fixed.replace(/\.fixed\.json$/, '.json');
    assert.ok(existsSync(before), `${before} missing`);
    pairs.push({ key: relative(repoRoot, fixed), before: readFileSync(before, 'utf8'), after: readFileSync(fixed, 'utf8') });
  }
  const corpus = corpusOrSkip();
  let corpusTemplates = 0;
  if (!('skip' in corpus)) {
    for (const file of corpusFiles('databricks/arm', (n) => n.endsWith('.json'))) {
      const result = analyzePath(file, diskHost());
      if (!result || result.unit.dialect !== 'arm') continue;
      corpusTemplates++;
      const change = fixAll(result).changes.get(file);
      if (change) pairs.push({ key: relative(corpusRoot, file), before: change.before, after: change.after });
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'brickguard-arm-oracle-'));
  const found = new Map<string, string>();
  const broken: string[] = [];
  try {
    for (const [i, p] of pairs.entries()) {
      const before = await typeProblems(dir, `b${i}.bicep`, p.before);
      // The translation itself must compile, or every problem would hide behind a syntax error.
      if (before.some((x) => /^BCP0(0\d|1\d|2\d) /.test(x))) broken.push(`${p.key}: ${before.join(' | ')}`);
      const added = newProblems(before, await typeProblems(dir, `a${i}.bicep`, p.after));
      if (added.length > 0) found.set(p.key, added.join(' | '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(broken, [], 'translated templates with syntax errors');
  console.log(`arm oracle: ${pairs.length} fixed ARM templates type-checked (${corpusTemplates} corpus templates analysed), ${found.size} with new problems`);
  const failures = [...found].filter(([k]) => !(k in expectations.armTypes)).map(([k, v]) => `new armTypes disagreement ${k}: ${v}`);
  const checked = new Set(pairs.map((p) => p.key));
  const stale = Object.keys(expectations.armTypes).filter((k) => checked.has(k) && !found.has(k)).map((k) => `armTypes disagreement ${k} no longer occurs: remove it from expectations.json`);
  assert.deepEqual([...failures, ...stale], []);
});

test('oracle: the ARM type check flags a property the apiVersion lacks (the check can fail)', async (t) => {
  if (!oracleAvailable(t, bicepMissing())) return;
  const template = (extra: string) =>
    JSON.stringify({
      resources: [
        {
          type: 'Microsoft.Databricks/workspaces',
          apiVersion: '2018-04-01',
          name: "[parameters('n')]",
          location: '[resourceGroup().location]',
          properties: { managedResourceGroupId: "[subscriptionResourceId('x')]", ...(extra ? { [extra]: 'Disabled' } : {}) },
        },
      ],
    });
  const dir = mkdtempSync(join(tmpdir(), 'brickguard-arm-oracle-'));
  try {
    const added = newProblems(await typeProblems(dir, 'b.bicep', template('')), await typeProblems(dir, 'a.bicep', template('publicNetworkAccess')));
    assert.deepEqual(added, ['BCP037 The property "publicNetworkAccess" is not allowed on objects of type "WorkspaceProperties".']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('oracle: the bundled ARM examples type-check with no problem (the secure one is the private shape, whole)', async (t) => {
  if (!oracleAvailable(t, bicepMissing())) return;
  const examples = join(repoRoot, 'examples', 'arm');
  const dir = mkdtempSync(join(tmpdir(), 'brickguard-arm-examples-'));
  const problems: string[] = [];
  try {
    for (const name of readdirSync(examples).filter((n) => n.endsWith('.json')).sort()) {
      const text = readFileSync(join(examples, name), 'utf8');
      for (const p of await typeProblems(dir, name.replace(/\.json$/, '.bicep'), text)) problems.push(`${name}: ${p}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(problems, []);
});
