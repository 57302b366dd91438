// Hostile inputs for the whole analysis (parse, lowering, evaluation, rules, fixes) in every
// dialect: deep nesting and huge tokens, placed in the analysed file, in a parameters file
// (.tfvars, .bicepparam, *.parameters.json) or in a called module (Terraform module folder,
// Bicep module file, ARM inline nested template). Shared by the unit tests and scripts/fuzz.ts.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzePath, diskHost, overlayHost } from '../../server/src/engine/index';
import type { AnalysisResult } from '../../server/src/engine/types';

export type Dialect = 'arm' | 'bicep' | 'terraform';
export const DIALECTS: readonly Dialect[] = ['arm', 'bicep', 'terraform'];

/** Where a fragment goes: the analysed file, the parameters file that feeds it, or a module it calls. */
export type Place = 'root' | 'params' | 'module';

const ROOT = '/w';
export const PATHS = { arm: `${ROOT}/arm/azuredeploy.json`, bicep: `${ROOT}/bicep/main.bicep`, terraform: `${ROOT}/tf/main.tf` } as const;

/** The analysed file: a storage account holding `deep`, then an insecure workspace whose findings must survive. */
export const WORKSPACE: Record<Dialect, (deep: string) => string> = {
  arm: (deep) => `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "x": { "type": "object", "defaultValue": {} } },
  "variables": { "deep": ${deep} },
  "resources": [
    { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "st", "properties": { "deep": ${deep}, "fromParam": "[parameters('x')]" } },
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "nested",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" }, "template": NESTED }
    },
    {
      "type": "Microsoft.Databricks/workspaces",
      "apiVersion": "2023-02-01",
      "name": "ws",
      "location": "westeurope",
      "sku": { "name": "standard" },
      "properties": { "managedResourceGroupId": "x", "publicNetworkAccess": "Enabled" }
    }
  ]
}
`,
  bicep: (deep) => `param x object = {}
var deep = ${deep}
module m './mod.bicep' = {
  name: 'm'
  params: { p: x }
}
resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  properties: {
    deep: ${deep}
    fromParam: x
    fromModule: m.outputs.o
  }
}
resource ws 'Microsoft.Databricks/workspaces@2023-02-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: { name: 'standard' }
  properties: {
    managedResourceGroupId: 'x'
    publicNetworkAccess: 'Enabled'
  }
}
`,
  terraform: (deep) => `variable "x" {
  default = 1
}
module "m" {
  source = "./mod"
  p      = var.x
}
locals {
  deep = ${deep}
}
resource "azurerm_storage_account" "st" {
  deep        = ${deep}
  from_var    = var.x
  from_module = module.m.o
}
resource "azurerm_databricks_workspace" "w" {
  name                = "ws"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "standard"
}
`,
};

/** The parameters file of each dialect, supplying `x`. */
const PARAMS: Record<Dialect, { path: string; text: (deep: string) => string }> = {
  arm: { path: `${ROOT}/arm/azuredeploy.parameters.json`, text: (deep) => `{\n  "parameters": { "x": { "value": ${deep} } }\n}\n` },
  bicep: { path: `${ROOT}/bicep/main.bicepparam`, text: (deep) => `using './main.bicep'\nparam x = ${deep}\n` },
  terraform: { path: `${ROOT}/tf/terraform.tfvars`, text: (deep) => `x = ${deep}\n` },
};

/** The called module of each dialect (ARM: the inline nested template, inside the analysed file). */
const MODULE: Record<Dialect, { path?: string; text: (deep: string) => string }> = {
  arm: {
    text: (deep) =>
      `{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "variables": { "deep": ${deep} }, "resources": [ { "type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "inner", "properties": { "deep": ${deep} } } ] }`,
  },
  bicep: { path: `${ROOT}/bicep/mod.bicep`, text: (deep) => `param p object\nvar deep = ${deep}\noutput o object = {\n  a: deep\n  p: p\n}\n` },
  terraform: { path: `${ROOT}/tf/mod/main.tf`, text: (deep) => `variable "p" {}\noutput "o" {\n  value = {\n    a = ${deep}\n    p = var.p\n  }\n}\n` },
};

const NEUTRAL: Record<Dialect, string> = { arm: '1', bicep: '1', terraform: '1' };

export interface HostileCase {
  dialect: Dialect;
  place: Place;
  /** The fragment as a whole value (else spliced into the file's text at `at`). */
  asValue: boolean;
  /** Where to splice, as a fraction of the file's length. */
  at: number;
  fragment: string;
}

function splice(text: string, at: number, frag: string): string {
  const i = Math.floor(at * text.length);
  return text.slice(0, i) + frag + text.slice(i);
}

/** The file a case's fragment goes into. */
export function placedPath(c: Pick<HostileCase, 'dialect' | 'place'>): string {
  if (c.place === 'params') return PARAMS[c.dialect].path;
  if (c.place === 'module') return MODULE[c.dialect].path ?? PATHS[c.dialect];
  return PATHS[c.dialect];
}

/** The files of a case: the analysed file, its parameters file and its module, one of them hostile. */
export function filesOf(c: HostileCase): Map<string, string> {
  const value = (place: Place) => (c.place === place && c.asValue ? c.fragment : NEUTRAL[c.dialect]);
  const hostile = (place: Place, text: string) => (c.place === place && !c.asValue ? splice(text, c.at, c.fragment) : text);
  const d = c.dialect;
  const moduleText = hostile('module', MODULE[d].text(value('module')));
  let root = WORKSPACE[d](value('root'));
  if (d === 'arm') root = root.replace('NESTED', () => moduleText);
  const files = new Map<string, string>([[PATHS[d], hostile('root', root)]]);
  files.set(PARAMS[d].path, hostile('params', PARAMS[d].text(value('params'))));
  const modulePath = MODULE[d].path;
  if (modulePath) files.set(modulePath, moduleText);
  return files;
}

/**
 * Analyses the case's analysed file with its files in memory; fails on an exception or on a rule
 * or fix that failed (they log with console.error). Returns the result and the call's wall and CPU time.
 */
export function analyseFiles(dialect: Dialect, files: ReadonlyMap<string, string>): { result: AnalysisResult; ms: number; cpuMs: number } {
  const base = overlayHost(diskHost([ROOT]), files);
  // The module folders exist only in memory.
  const host = { ...base, isDirectory: (p: string) => base.isDirectory(p) || [...files.keys()].some((f) => f.startsWith(`${p}/`)) };
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' ').slice(0, 300));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const result = analyzePath(PATHS[dialect], host);
    assert.ok(result, 'analysed');
    // Fix rendering walks the values too.
    for (const f of result.findings) for (const fix of f.fixes) assert.ok(Array.isArray(fix.edits));
    const cpu = process.cpuUsage(cpu0);
    return { result, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    console.error = original;
    assert.deepEqual(logged, [], 'no rule or fix failed');
  }
}

export const nested = (open: string, close: string, n: number, inner = '1') => open.repeat(n) + inner + close.repeat(n);

/** Deep shapes per dialect, as whole values. */
export const DEEP: Record<Dialect, Record<string, (n: number) => string>> = {
  arm: {
    arrays: (n) => nested('[', ']', n, ''),
    objects: (n) => nested('{"a":', '}', n),
    'expression calls': (n) => `"[${nested('concat(', ')', n, "'a'")}]"`,
  },
  bicep: {
    arrays: (n) => nested('[', ']', n, ''),
    objects: (n) => nested('{\na: ', '\n}', n),
    parentheses: (n) => nested('(', ')', n),
    calls: (n) => nested('concat(', ')', n, "'a'"),
    interpolations: (n) => nested("'${", "}'", n),
    negations: (n) => `${'!'.repeat(n)}true`,
  },
  terraform: {
    arrays: (n) => nested('[', ']', n, ''),
    objects: (n) => nested('{ a = ', ' }', n),
    parentheses: (n) => nested('(', ')', n),
    calls: (n) => nested('concat(', ')', n, '"a"'),
    interpolations: (n) => nested('"${', '}"', n),
    negations: (n) => `${'!'.repeat(n)}true`,
  },
};

/** A hostile fragment: deep random brackets (balanced or not), or a huge token of every kind. */
export function fragment(dialect: Dialect): fc.Arbitrary<string> {
  const opens = dialect === 'arm' ? ['[', '{"a":'] : dialect === 'bicep' ? ['[', '(', '{\na: ', "'${", 'f('] : ['[', '(', '{ a = ', '"${', 'f('];
  const closeOf: Record<string, string> = { '[': ']', '(': ')', '{"a":': '}', '{\na: ': '\n}', '{ a = ': ' }', "'${": "}'", '"${': '}"', 'f(': ')' };
  const deep = fc
    .tuple(fc.array(fc.constantFrom(...opens), { minLength: 1, maxLength: 4 }), fc.integer({ min: 50, max: 4000 }), fc.boolean())
    .map(([cycle, n, balanced]) => {
      const seq = Array.from({ length: n }, (_, i) => cycle[i % cycle.length]);
      return seq.join('') + (dialect === 'arm' ? '1' : 'x') + (balanced ? seq.reverse().map((o) => closeOf[o]).join('') : '');
    });
  const huge = fc
    .tuple(fc.constantFrom('ident', 'string', 'number', 'comment', 'multiline', 'key'), fc.integer({ min: 10_000, max: 400_000 }))
    .map(([kind, n]) => {
      if (kind === 'number') return '9'.repeat(n);
      if (kind === 'string') return dialect === 'bicep' ? `'${'s'.repeat(n)}'` : `"${'s'.repeat(n)}"`;
      if (kind === 'comment') return dialect === 'terraform' ? `1 # ${'c'.repeat(n)}` : `1 /* ${'c'.repeat(n)} */`;
      if (kind === 'multiline') {
        if (dialect === 'terraform') return `<<EOT\n${'l\n'.repeat(n / 2)}EOT\n`;
        if (dialect === 'bicep') return `'''${'l\n'.repeat(n / 2)}'''`;
        return `"${'\\n'.repeat(n / 2)}"`;
      }
      if (kind === 'key') {
        if (dialect === 'terraform') return `{ ${'k'.repeat(n)} = 1 }`;
        if (dialect === 'bicep') return `{\n${'k'.repeat(n)}: 1\n}`;
        return `{ "${'k'.repeat(n)}": 1 }`;
      }
      return dialect === 'arm' ? `"[${'a'.repeat(n)}()]"` : 'a'.repeat(n);
    });
  return fc.oneof(deep, huge);
}

/** A hostile case of a dialect: a fragment in the analysed file, its parameters file or its module. */
export function hostileCase(dialect: Dialect): fc.Arbitrary<HostileCase> {
  return fc.record({
    dialect: fc.constant(dialect),
    place: fc.constantFrom<Place>('root', 'params', 'module'),
    asValue: fc.boolean(),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    fragment: fragment(dialect),
  });
}
