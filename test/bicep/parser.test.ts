import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBicep, printBicep } from '../../server/src/syntax/bicep/index';
import type { ProgramNode, ResourceDecl, Statement } from '../../server/src/syntax/bicep/index';

function clean(text: string): ProgramNode {
  const r = parseBicep(text);
  assert.deepEqual(r.errors, [], `unexpected errors in:\n${text}`);
  assert.equal(printBicep(r.tree), text);
  return r.tree;
}

function kinds(tree: ProgramNode): string[] {
  return tree.statements.map((s: Statement) => s.kind);
}

test('declarations of every kind parse cleanly', () => {
  const tree = clean(`targetScope = 'resourceGroup'
metadata name = 'x'
import { a, b as c } from './types.bicep'
import * as ns from './types.bicep'
import 'az@1.0.0'
extension microsoftGraphV1
extension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview' as graph
@description('The location.')
@allowed([
  'westeurope'
  'northeurope'
])
param location string = 'westeurope'
param tags object?
param sku 'Standard' | 'Premium' = 'Premium'
param multi
  | 'Default'
  | 'Copy'
param kv resource 'Microsoft.KeyVault/vaults@2023-07-01'
var suffix = uniqueString(resourceGroup().id)
var typed string = 'a'
@export()
type pair = { @minLength(1) key: string, value: int? }
type list = pair[]
type any = { *: string }
type tuple = [int, @description('x') string]
type props = resourceInput<'Microsoft.Databricks/workspaces@2024-05-01'>.properties
type union = 'a' | 'b' | -1 | true
func double(x int) int => x * 2
func greet(name string, loud bool) string => loud ? toUpper('hi \${name}') : 'hi \${name}'
output id string = ws.id
output res resource 'Microsoft.Databricks/workspaces@2024-05-01' = ws
assert ok = length(location) > 0
`);
  assert.deepEqual(kinds(tree), [
    'TargetScopeDecl', 'MetadataDecl', 'ImportDecl', 'ImportDecl', 'ImportDecl', 'ExtensionDecl', 'ExtensionDecl',
    'ParamDecl', 'ParamDecl', 'ParamDecl', 'ParamDecl', 'ParamDecl', 'VarDecl', 'VarDecl', 'TypeDecl', 'TypeDecl',
    'TypeDecl', 'TypeDecl', 'TypeDecl', 'TypeDecl', 'FuncDecl', 'FuncDecl', 'OutputDecl', 'OutputDecl', 'AssertDecl',
  ]);
});

test('resources: existing, nested children, parent, scope, loops and conditions', () => {
  const tree = clean(`resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  properties: {
    publicNetworkAccess: 'Disabled'
    'quoted-key': 1
  }
  resource child 'privateEndpointConnections' = {
    name: 'c'
  }
}
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
}
resource diag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (deploy) {
  name: 'd'
  scope: ws
}
resource many 'Microsoft.Network/privateEndpoints@2023-04-01' = [for (x, i) in items: {
  name: 'pe-\${i}'
}]
resource some 'Microsoft.Network/privateEndpoints@2023-04-01' = [for x in items: if (x.enabled) {
  name: x.name
}]
@batchSize(1)
module m './mod.bicep' = {
  name: 'm'
  params: {
    a: ws.id
    b: ws::child.id
  }
}
module r 'br/public:avm/res/x:0.1.0' = {
  name: 'r'
}
`);
  const ws = tree.statements[0] as ResourceDecl;
  assert.equal(ws.kind, 'ResourceDecl');
  assert.equal(ws.value.kind, 'Object');
  if (ws.value.kind === 'Object') assert.ok(ws.value.members.some((m) => m.kind === 'ResourceDecl'));
  const kv = tree.statements[1] as ResourceDecl;
  assert.ok(kv.existing);
  assert.equal((tree.statements[2] as ResourceDecl).value.kind, 'If');
  assert.equal((tree.statements[3] as ResourceDecl).value.kind, 'For');
});

test('expressions: operators, safe access, lambdas, spreads, multi-line strings and ternaries', () => {
  clean(`var a = x ?? y ?? 'z'
var b = obj.?prop.?deeper
var c = arr[?0]
var d = maybe!.value
var e = map(items, item => item.name)
var f = reduce(items, 0, (cur, next) => cur + next)
var g = sort(items, (a, b) => a < b)
var h = !empty(x) && (y || z) == true
var i = -1 + 2 * 3 % 4 / 5 - -6
var j = a =~ 'A' || a !~ 'B' || a != 'c' || a >= 1 || a <= 2 || a > 3 || a < 4
var k = {
  ...base
  extra: 1
  'a b': [
    1
    -2
    'x'
  ]
}
var l = [1, 2, 3]
var m = { a: 1, b: 2 }
var n = '''
multi 'line' \${not interpolated}
'''
var o = 'it\\'s \${'nested \${'deep'}'} \\\${escaped} \\u{1F600}'
var p = cond
  ? 'a'
  : other
      ? 'b'
      : 'c'
var q = sys.concat('a', az.resourceGroup().name)
var r = union(
  {
    a: 1
  },
  b
)
var s = [for i in range(0, 3): {
  idx: i
}]
var t = () => 'x'
var u = ws::child::grand.id
`);
});

test('comments, directives and trivia are kept', () => {
  const text = `// a line comment
/* a block
   comment */
#disable-next-line no-unused-params
param x string // trailing
var y = /* inline */ 1
`;
  const r = parseBicep(text);
  assert.deepEqual(r.errors, []);
  assert.equal(printBicep(r.tree), text);
  assert.deepEqual(r.comments.map((c) => c.text), [' a line comment', ' a block\n   comment ', ' trailing', ' inline ']);
  assert.equal(text.slice(r.comments[0].span.start, r.comments[0].span.end), '// a line comment');
});

test('BOM, CRLF, tabs and no final newline print back exactly', () => {
  for (const text of [
    '\uFEFFparam x string\r\nvar y = {\r\n\ta: 1\r\n}',
    'resource r \'A.B/c@1\' = {\n\tname: \'x\'\n\tproperties: {\n\t\tk: true\n\t}\n}',
    '',
    '\n\n',
    '\uFEFF',
    'param x string = \'no newline\'',
  ]) {
    const r = parseBicep(text);
    assert.deepEqual(r.errors, [], JSON.stringify(text));
    assert.equal(printBicep(r.tree), text);
  }
});

test('.bicepparam files parse', () => {
  clean(`using './main.bicep'

param publicNetworkAccess = 'Disabled'
param tags = {
  env: 'prod'
}
var x = readEnvironmentVariable('X', 'y')
param other = x
`);
  clean("using none\nparam a = 1\n");
});

test('a half-typed declaration does not swallow the declarations after it', () => {
  const cases = [
    `resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'ws'\n  properties: {\n    publicNetworkAccess: \nparam after string\nresource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n  name: 'pe'\n}\n`,
    `param x\nvar y = 1\nparam after string\nresource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n  name: 'pe'\n}\n`,
    `var a = concat(1, \nparam after string\nresource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n  name: 'pe'\n}\n`,
    `resource ws 'Microsoft.Databricks/workspaces@\nparam after string\nresource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n  name: 'pe'\n}\n`,
    `var s = '\${foo\nparam after string\nresource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n  name: 'pe'\n}\n`,
    `module m './x.bicep' = {\n  params: {\n    a: [\n      1\n@description('d')\nparam after string\nresource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n  name: 'pe'\n}\n`,
    `resource ws 'A.B/c@1' = [for x in \nparam after string\nresource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = {\n  name: 'pe'\n}\n`,
  ];
  for (const text of cases) {
    const r = parseBicep(text);
    assert.ok(r.errors.length > 0, text);
    assert.equal(printBicep(r.tree), text);
    const names = r.tree.statements.flatMap((s) => ('name' in s && s.name ? [`${s.kind}:${s.name.text}`] : []));
    assert.ok(names.includes('ParamDecl:after'), `${text}\n→ ${names.join(', ')}`);
    assert.ok(names.includes('ResourceDecl:pe'), `${text}\n→ ${names.join(', ')}`);
    const pe = r.tree.statements.find((s): s is ResourceDecl => s.kind === 'ResourceDecl' && s.name?.text === 'pe')!;
    assert.equal(pe.value.kind, 'Object');
  }
});

test('errors carry spans and messages, and garbage never throws', () => {
  const r = parseBicep("param x string = 'unterminated\nvar = \n}}}]]) ??? §\n");
  assert.ok(r.errors.length >= 3);
  for (const e of r.errors) {
    assert.ok(e.span.start <= e.span.end);
    assert.ok(e.message.length > 0);
  }
  const deep = '['.repeat(5000) + '('.repeat(5000) + '{'.repeat(5000);
  const d = parseBicep(`var x = ${deep}`);
  assert.equal(printBicep(d.tree), `var x = ${deep}`);
  const chain = 'var y = a' + '.b'.repeat(20000) + ' + 1'.repeat(20000);
  assert.equal(printBicep(parseBicep(chain).tree), chain);
});

test('newer syntax: index from end, interpolated multi-line strings, array spread, non-null types, extensionConfig', () => {
  clean(`var last = arr[^1]
var lastSafe = arr[?^1]
var name = 'x'
var m1 = $'''
Hello \${name}
'''
var m2 = $$'''literal \${name} and $\${name}'''
var m3 = $''''''
var all = [...a, ...b, 'c']
var lines = [
  ...map(ids, id => {
    objectId: id
  })
  other
]
type nullable = string?
type nonNullable = nullable!
`);
  clean(`using 'main.bicep'

extensionConfig graph with {
  tenant: 'x'
}
extensionConfig empty with {}
`);
});
