// Oracle: the Terraform provider schemas (azurerm 4.x and 3.x, databricks; from the cdktf prebuilt provider
// packages, see scripts/oracles-setup.sh).
//   - every attribute and block a Terraform fix writes exists for that resource type (or in the
//     provider block), checked on the fix-all result of every fixture folder and corpus module;
//   - every Terraform attribute path the rules read exists for a resource type the rule is about.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { analyzePath, diskHost } from '../../server/src/engine';
import { fixAll } from '../../server/src/engine/fixAll';
import { ALL_RULE_METAS } from '../../server/src/rules/index';
import { corpusOrSkip, corpusRoot, repoRoot } from '../helpers/corpus';
import { AZURERM_BOUNDARY_SCHEMAS, oracleAvailable, tfSchema, type TfBlockSchema, type TfProviderSchema } from '../helpers/oracles';
import type { ProviderVersion, Unit, VersionTriple } from '../../server/src/model/types';
import { compareVersions } from '../../server/src/model/version';
import { AZURERM_SINCE } from '../../server/src/rules/support/encryption';

interface Expectations {
  terraformWrites: Record<string, string>;
  terraformReads: Record<string, string>;
}
const expectations = JSON.parse(readFileSync(join(__dirname, 'expectations.json'), 'utf8')) as Expectations;

interface Schemas {
  azurerm: TfProviderSchema;
  azurerm3: TfProviderSchema;
  databricks: TfProviderSchema;
  /** Every azurerm schema the oracle has, oldest first. */
  azurermReleases: TfProviderSchema[];
}

function schemas(t: TestContext): Schemas | undefined {
  const named = { azurerm: tfSchema('azurerm'), azurerm3: tfSchema('azurerm3'), databricks: tfSchema('databricks') };
  const boundaries = AZURERM_BOUNDARY_SCHEMAS.map((n) => tfSchema(n));
  const missing = [...Object.values(named), ...boundaries].find((s): s is string => typeof s === 'string');
  if (!oracleAvailable(t, missing)) return undefined;
  const releases = [named.azurerm, named.azurerm3, ...boundaries] as TfProviderSchema[];
  releases.sort((a, b) => compareVersions(versionOf(a), versionOf(b)));
  return { ...(named as Omit<Schemas, 'azurermReleases'>), azurermReleases: releases };
}

function versionOfText(text: string): VersionTriple {
  const [major, minor, patch] = text.split('.').map(Number);
  return [major, minor, patch];
}

function versionOf(schema: TfProviderSchema): VersionTriple {
  return versionOfText(schema.providerVersion);
}

/**
 * The azurerm schemas a module's allowed versions are checked against: the newest release the
 * oracle has at or below the lowest allowed version (the oldest it has, for an earlier 3.x), and
 * the newest at or below the highest (the latest, when unbounded). Empty below 3.0: not checked.
 */
function azurermSchemasFor(s: Schemas, v: ProviderVersion | undefined): TfProviderSchema[] {
  const latest = s.azurermReleases[s.azurermReleases.length - 1];
  if (!v) return [latest];
  if (v.min[0] < 3) return [];
  const atOrBelow = (at: VersionTriple, inclusive: boolean) =>
    s.azurermReleases.filter((x) => {
      const c = compareVersions(versionOf(x), at);
      return c < 0 || (c === 0 && inclusive);
    });
  const floor = atOrBelow(v.min, true).pop() ?? s.azurermReleases[0];
  const ceiling = v.max ? (atOrBelow(v.max.version, v.max.inclusive).pop() ?? floor) : latest;
  return floor === ceiling ? [floor] : [floor, ceiling];
}

/** Whether `path` (names of nested blocks, then an attribute) exists under `block`. */
function hasPath(block: TfBlockSchema, path: readonly string[]): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return true;
  if (head in block.blocks) return hasPath(block.blocks[head], rest);
  // An attribute: deeper names are map keys or object fields, not schema names.
  return block.attributes.includes(head) || (block.computed ?? []).includes(head);
}

/** Whether `name` is an attribute or block name at any depth of `block`. */
function anywhere(block: TfBlockSchema, name: string): boolean {
  if (block.attributes.includes(name) || (block.computed ?? []).includes(name) || name in block.blocks) return true;
  return Object.values(block.blocks).some((b) => anywhere(b, name));
}

/** Names the Terraform language defines for every resource (meta-arguments and lifecycle settings). */
const TERRAFORM_META_ARGUMENTS = new Set(['for_each', 'depends_on', 'ignore_changes', 'create_before_destroy', 'prevent_destroy', 'replace_triggered_by']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Name paths of a resource body in hcl2json's output, walking into nested blocks the schema knows
 * (blocks are arrays of objects; `dynamic` blocks are walked through their `content`).
 */
function namePaths(body: { [k: string]: Json }, schema: TfBlockSchema | undefined, prefix: string[], out: Set<string>): void {
  for (const [name, value] of Object.entries(body)) {
    if (['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection'].includes(name) && prefix.length === 0) continue;
    if (name === 'dynamic' && isObject(value)) {
      for (const [blockName, uses] of Object.entries(value)) {
        out.add([...prefix, blockName].join('.'));
        for (const use of Array.isArray(uses) ? uses : []) {
          for (const content of isObject(use) && Array.isArray(use.content) ? use.content : []) {
            if (isObject(content)) namePaths(content, schema?.blocks[blockName], [...prefix, blockName], out);
          }
        }
      }
      continue;
    }
    out.add([...prefix, name].join('.'));
    const child = schema?.blocks[name];
    if (child && Array.isArray(value)) for (const item of value) if (isObject(item)) namePaths(item, child, [...prefix, name], out);
  }
}

/** `resource.type.name` / `provider.name` → name paths, from one file's hcl2json output. */
async function declaredPaths(file: string, text: string, s: Record<string, TfProviderSchema>): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const json = (await hcl2json(file, text)) as { [k: string]: Json };
  const resources = isObject(json.resource) ? json.resource : {};
  for (const [type, byName] of Object.entries(resources)) {
    if (!isObject(byName)) continue;
    const schema = s[type.slice(0, type.indexOf('_'))]?.resources[type];
    for (const [name, bodies] of Object.entries(byName)) {
      const paths = new Set<string>();
      for (const body of Array.isArray(bodies) ? bodies : []) if (isObject(body)) namePaths(body, schema, [], paths);
      out.set(`resource.${type}.${name}`, paths);
    }
  }
  const providers = isObject(json.provider) ? json.provider : {};
  for (const [name, bodies] of Object.entries(providers)) {
    const paths = new Set<string>();
    for (const body of Array.isArray(bodies) ? bodies : []) if (isObject(body)) namePaths(body, s[name]?.providerBlock, [], paths);
    out.set(`provider.${name}`, paths);
  }
  return out;
}

/** Folders holding a module: every fixture folder with a main.tf, every corpus folder with a .tf. */
function moduleFolders(root: string, out: string[] = []): string[] {
  if (!existsSync(root)) return out;
  const names = readdirSync(root).sort();
  if (names.some((n) => n.endsWith('.tf'))) out.push(root);
  for (const n of names) if (statSync(join(root, n)).isDirectory()) moduleFolders(join(root, n), out);
  return out;
}

test('oracle: every attribute and block a Terraform fix writes exists in the provider schema', async (t) => {
  const s = schemas(t);
  if (!s) return;
  const bySchema: Record<string, TfProviderSchema> = { azurerm: s.azurerm, databricks: s.databricks };
  const corpus = corpusOrSkip();
  const folders = [
    ...moduleFolders(join(repoRoot, 'test', 'terraform', 'fixtures')),
    ...('skip' in corpus ? [] : moduleFolders(join(corpusRoot, 'databricks', 'terraform'))),
  ];
  const found = new Map<string, string>();
  let fixedModules = 0;
  let written = 0;
  let olderMajor = 0;
  const versionChecks = new Map<string, number>();
  /** Checks the names `after` adds to `before` against the schemas of the module's azurerm versions. */
  const check = async (path: string, before: string, after: string, azurerm: ProviderVersion | undefined, resourcesOnly: boolean) => {
    const was = await declaredPaths(path, before, bySchema);
    const now = await declaredPaths(path, after, bySchema);
    const where = relative(path.startsWith(corpusRoot) ? corpusRoot : repoRoot, path);
    for (const [address, paths] of now) {
      const [what, typeOrName] = address.split('.');
      if (resourcesOnly && what !== 'resource') continue;
      const provider = what === 'provider' ? typeOrName : typeOrName.slice(0, typeOrName.indexOf('_'));
      // azapi bodies are ARM: the ARM oracles judge those.
      if (!bySchema[provider]) continue;
      const against = provider === 'azurerm' ? azurermSchemasFor(s, azurerm) : [bySchema[provider]];
      if (against.length === 0) {
        olderMajor++;
        continue;
      }
      for (const schema of against) {
        versionChecks.set(schema.providerVersion, (versionChecks.get(schema.providerVersion) ?? 0) + 1);
        const block = what === 'provider' ? schema.providerBlock : schema.resources[typeOrName];
        for (const p of paths) {
          if (was.get(address)?.has(p)) continue;
          written++;
          if (!block || !hasPath(block, p.split('.'))) found.set(`${where} ${address} ${p}`, `not in ${schema.provider} ${schema.providerVersion}`);
        }
      }
    }
  };
  const azurermOfUnit = (unit: Unit) => unit.resources.find((r) => r.dialect === 'terraform' && r.providerVersion)?.providerVersion;
  for (const folder of folders) {
    const entry = readdirSync(folder).filter((n) => n.endsWith('.tf')).sort()[0];
    const result = analyzePath(join(folder, entry), diskHost([dirname(folder)]));
    if (!result) continue;
    const { changes } = fixAll(result, { files: result.unit.ownFiles });
    if (changes.size === 0) continue;
    fixedModules++;
    for (const [path, { before, after }] of changes) if (path.endsWith('.tf')) await check(path, before, after, azurermOfUnit(result.unit), false);
  }
  // The fix engine's and the rules' before → after fixtures (test/fixes): each `X.tf.fixed` against its `X.tf`,
  // with the azurerm versions of its folder.
  let fixedFiles = 0;
  for (const folder of moduleFolders(join(repoRoot, 'test', 'fixes', 'fixtures', 'terraform'))) {
    const fixed = readdirSync(folder).filter((n) => n.endsWith('.tf.fixed'));
    if (fixed.length === 0) continue;
    const entry = readdirSync(folder).filter((n) => n.endsWith('.tf')).sort()[0];
    const result = entry ? analyzePath(join(folder, entry), diskHost([folder])) : undefined;
    // A fix whose title says it "needs azurerm X or later" holds for the versions from X on.
    let azurerm = result && azurermOfUnit(result.unit);
    for (const m of (result?.findings ?? []).flatMap((f) => f.fixes).flatMap((f) => [...f.title.matchAll(/needs azurerm (\d+)\.(\d+)(?:\.(\d+))? or later/g)])) {
      const needs: VersionTriple = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
      if (azurerm && compareVersions(needs, azurerm.min) > 0) azurerm = { ...azurerm, min: needs };
    }
    for (const name of fixed) {
      fixedFiles++;
      const path = join(folder, name.slice(0, -'.fixed'.length));
      await check(path, readFileSync(path, 'utf8'), readFileSync(join(folder, name), 'utf8'), azurerm, true);
    }
  }
  const against = [...versionChecks].sort(([a], [b]) => compareVersions(versionOfText(a), versionOfText(b))).map(([v, n]) => `${n} on ${v}`).join(', ');
  console.log(
    `terraform oracle: ${folders.length} modules, ${fixedModules} changed by fix-all, ${fixedFiles} .tf.fixed fixtures, ${written} attribute/block names written and checked (schemas: ${against}; ${olderMajor} on azurerm < 3 not checked), ${found.size} unknown`,
  );
  const failures = [...found].filter(([k]) => !(k in expectations.terraformWrites)).map(([k, v]) => `${k}: ${v}`);
  assert.deepEqual(failures, []);
});

/** Terraform attribute paths in a rule source: `TF_…` constant arrays and `lookup(x, [...])` arrays with a snake_case name. */
function readPaths(source: string): string[][] {
  const out: string[][] = [];
  const arrays = [
    ...[...source.matchAll(/const TF_\w+ = \[([^\]]*)\]/g)].map((m) => m[1]),
    ...[...source.matchAll(/lookup\(\w+, \[([^\]]*)\]\)/g)].map((m) => m[1]),
  ];
  for (const body of arrays) {
    const parts = [...body.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]);
    if (parts.length > 0 && parts.length === body.split(',').filter((x) => x.trim()).length && parts.some((p) => p.includes('_'))) out.push(parts);
  }
  return out;
}

test('oracle: every Terraform attribute the rules read exists for a resource type they judge', (t) => {
  const s = schemas(t);
  if (!s) return;
  const kindsFile = readFileSync(join(repoRoot, 'server', 'src', 'frontends', 'terraform', 'kinds.ts'), 'utf8');
  const azurermByKind = new Map<string, string[]>();
  for (const m of kindsFile.matchAll(/(azurerm_\w+): KIND\.(\w+)/g)) azurermByKind.set(m[2], [...(azurermByKind.get(m[2]) ?? []), m[1]]);
  const kindConst = new Map<string, string>();
  const typesFile = readFileSync(join(repoRoot, 'server', 'src', 'model', 'types.ts'), 'utf8');
  for (const m of typesFile.matchAll(/^\s+(\w+): '([A-Za-z./]+)',$/gm)) kindConst.set(m[2], m[1]);
  // Rules also read the provider blocks (azurerm's storage_use_azuread).
  const providerBlocks = [s.azurerm.providerBlock, s.databricks.providerBlock];
  const found = new Map<string, string>();
  let checked = 0;
  let checkedNames = 0;
  // Each rule's file with the types it judges; then the shared helpers (rules/support), which
  // may read any type of the model's kinds.
  const sources: { id: string; file: string; kinds: string[] }[] = [];
  for (const rule of ALL_RULE_METAS) {
    const file = join(repoRoot, 'server', 'src', 'rules', `${rule.id}.ts`);
    if (existsSync(file) && rule.dialects.includes('terraform')) sources.push({ id: rule.id, file, kinds: rule.kinds ?? [] });
  }
  const allKinds = [...kindConst].filter(([, c]) => azurermByKind.has(c)).map(([kind]) => kind);
  const supportDir = join(repoRoot, 'server', 'src', 'rules', 'support');
  for (const name of readdirSync(supportDir).filter((n) => n.endsWith('.ts')).sort()) {
    sources.push({ id: `support/${name.replace(/\.ts$/, '')}`, file: join(supportDir, name), kinds: allKinds });
  }
  for (const rule of sources) {
    const source = readFileSync(rule.file, 'utf8');
    const types = new Set<string>();
    for (const kind of rule.kinds) for (const tf of azurermByKind.get(kindConst.get(kind) ?? '') ?? []) types.add(tf);
    // Resource types the rule names (in code or comments), e.g. a separate network rules resource.
    for (const m of source.matchAll(/\b((?:azurerm|databricks)_[a-z0-9_]+)\b/g)) {
      if (m[1] in s.azurerm.resources || m[1] in s.databricks.resources) types.add(m[1]);
    }
    // Every snake_case name in the rule's code must be a name somewhere in one of those types.
    for (const m of source.matchAll(/'([a-z0-9]+(?:_[a-z0-9]+)+)'/g)) {
      const name = m[1];
      if (name in s.azurerm.resources || name in s.databricks.resources || /^(azurerm|databricks|azapi)_/.test(name)) continue;
      // Terraform's own meta-arguments (`lifecycle { ignore_changes = … }`) belong to no provider schema.
      if (TERRAFORM_META_ARGUMENTS.has(name)) continue;
      checkedNames++;
      const ok =
        [...types].some((type) => {
          const block = (type.startsWith('azurerm_') ? s.azurerm : s.databricks).resources[type];
          return block !== undefined && anywhere(block, name);
        }) || providerBlocks.some((b) => anywhere(b, name));
      if (!ok) found.set(`${rule.id} ${name}`, `not a name in ${[...types].join(', ') || 'any resource type the rule names'}`);
    }
    for (const path of readPaths(source)) {
      // A list of resource types (`TF_CMK_TYPES`), not an attribute path.
      if (path.every((p) => p in s.azurerm.resources || p in s.databricks.resources)) continue;
      checked++;
      const ok =
        [...types].some((type) => {
          const schema = type.startsWith('azurerm_') ? s.azurerm : s.databricks;
          const block = schema.resources[type];
          return block !== undefined && hasPath(block, path);
        }) || providerBlocks.some((b) => hasPath(b, path));
      if (!ok) found.set(`${rule.id} ${path.join('.')}`, `not an attribute of ${[...types].join(', ') || 'any resource type the rule names'}`);
    }
  }
  console.log(`terraform oracle: ${checked} attribute paths and ${checkedNames} snake_case names in rule code checked, ${found.size} unknown`);
  const failures = [...found].filter(([k]) => !(k in expectations.terraformReads)).map(([k, v]) => `${k}: ${v}`);
  const stale = Object.keys(expectations.terraformReads).filter((k) => !found.has(k)).map((k) => `${k} no longer occurs: remove it from expectations.json`);
  assert.deepEqual([...failures, ...stale], []);
});

test('oracle: a misspelt attribute written into a resource is not in the schema (the check can fail)', async (t) => {
  const s = schemas(t);
  if (!s) return;
  const bySchema: Record<string, TfProviderSchema> = { azurerm: s.azurerm, databricks: s.databricks };
  const text = (extra: string) =>
    `resource "azurerm_databricks_workspace" "w" {\n  name = "w"\n  custom_parameters {\n    no_public_ip = true\n${extra}  }\n}\n`;
  const before = await declaredPaths('main.tf', text(''), bySchema);
  const after = await declaredPaths('main.tf', text('    no_public_ips = true\n    virtual_network_id = "x"\n'), bySchema);
  const added = [...after.get('resource.azurerm_databricks_workspace.w')!].filter((p) => !before.get('resource.azurerm_databricks_workspace.w')!.has(p));
  assert.deepEqual(added, ['custom_parameters.no_public_ips', 'custom_parameters.virtual_network_id']);
  const block = s.azurerm.resources.azurerm_databricks_workspace;
  assert.deepEqual(added.map((p) => hasPath(block, p.split('.'))), [false, true]);
});

test('oracle: the azurerm releases the encryption fixes are gated on (AZURERM_SINCE) are where the schemas gain those names', (t) => {
  const s = schemas(t);
  if (!s) return;
  const has = (schema: TfProviderSchema, name: string) => name in schema.resources || anywhere(schema.resources.azurerm_databricks_workspace, name);
  const NAMES: Record<string, string[]> = { encryptionFlags: ['customer_managed_key_enabled', 'infrastructure_encryption_enabled'] };
  const problems: string[] = [];
  let boundaries = 0;
  for (const [key, since] of Object.entries(AZURERM_SINCE)) {
    const names = NAMES[key] ?? [key];
    const from = s.azurermReleases.find((x) => compareVersions(versionOf(x), since) >= 0)!;
    for (const n of names) if (!has(from, n)) problems.push(`${n}: not in azurerm ${from.providerVersion}, though the fixes count on it from ${since.join('.')}`);
    // The release just before, when the oracle has it: it must not have the names yet.
    const before = s.azurermReleases.filter((x) => compareVersions(versionOf(x), since) < 0).pop();
    const [major, minor] = before ? versionOf(before) : [];
    if (!before || major !== since[0] || minor !== since[1] - 1) continue;
    boundaries++;
    for (const n of names) if (has(before, n)) problems.push(`${n}: already in azurerm ${before.providerVersion}, before ${since.join('.')}`);
  }
  console.log(`terraform oracle: ${Object.keys(AZURERM_SINCE).length} gated names present from their release, ${boundaries} absent in the release before`);
  assert.ok(boundaries >= 2, `${boundaries} boundaries checked`);
  assert.deepEqual(problems, []);
});
