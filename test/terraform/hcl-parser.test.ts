// Parser unit tests: every construct of HCL native syntax, lossless printing, error tolerance,
// and agreement with HashiCorp's parser on tricky literals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as hcl2json } from '@cdktf/hcl2json';
import { parseHcl, printHcl, literalValue, labelText, type Attribute, type Block, type Expr, type HclLiteral } from '../../server/src/syntax/hcl';

/** hcl2json writes Terraform JSON syntax, where a literal `${` / `%{` is escaped as `$${` / `%%{`. */
function asTerraformJson(v: HclLiteral | undefined): unknown {
  if (typeof v === 'string') return v.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (Array.isArray(v)) return v.map(asTerraformJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asTerraformJson(x)]));
  return v;
}


function attr(text: string, name = 'a'): Attribute {
  const r = parseHcl(text);
  assert.deepEqual(r.errors, [], `errors in ${JSON.stringify(text)}`);
  assert.equal(printHcl(r.tree), text);
  const a = r.tree.body.items.find((i): i is Attribute => i.kind === 'Attribute' && i.name.text === name);
  assert.ok(a, `attribute ${name}`);
  return a;
}
function exprKind(text: string): Expr['kind'] {
  return attr(`a = ${text}\n`).expr.kind;
}

test('blocks with labels, nested blocks and single-line blocks', () => {
  const text = 'resource "azurerm_databricks_workspace" this {\n  sku = "premium"\n  custom_parameters { no_public_ip = true }\n  empty {}\n}\n';
  const r = parseHcl(text);
  assert.deepEqual(r.errors, []);
  assert.equal(printHcl(r.tree), text);
  const b = r.tree.body.items[0] as Block;
  assert.equal(b.kind, 'Block');
  assert.deepEqual(b.labels.map(labelText), ['azurerm_databricks_workspace', 'this']);
  assert.equal(b.body.items.length, 3);
  const nested = b.body.items[1] as Block;
  assert.equal(nested.type.text, 'custom_parameters');
  assert.equal(nested.body.items[0].kind, 'Attribute');
});

test('comments of all three kinds, without markers', () => {
  const text = '# hash\n// slashes\n/* block\n comment */ a = 1 # trailing\n';
  const r = parseHcl(text);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.comments.map((c) => c.text), [' hash', ' slashes', ' block\n comment ', ' trailing']);
  assert.equal(text.slice(r.comments[0].span.start, r.comments[0].span.end), '# hash');
  assert.equal(printHcl(r.tree), text);
});

test('expressions of every kind', () => {
  assert.equal(exprKind('1.5e3'), 'Literal');
  assert.equal(exprKind('"x${var.y}z"'), 'Template');
  assert.equal(exprKind('var.x'), 'GetAttr');
  assert.equal(exprKind('x'), 'Variable');
  assert.equal(exprKind('[1, 2,\n  3,\n]'), 'Tuple');
  assert.equal(exprKind('{ a = 1, "b" : 2\n c = 3 }'), 'Object');
  assert.equal(exprKind('merge(a, b...)'), 'FunctionCall');
  assert.equal(exprKind('provider::time::rfc3339_parse("x")'), 'FunctionCall');
  assert.equal(exprKind('[for k, v in var.m : upper(v) if v != ""]'), 'For');
  assert.equal(exprKind('{\n  for k, v in var.m : k => v...\n}'), 'For');
  assert.equal(exprKind('var.list[*].id'), 'GetAttr');
  assert.equal(exprKind('var.list.*.id'), 'GetAttr');
  assert.equal(exprKind('var.list[*]'), 'Splat');
  assert.equal(exprKind('azurerm_x.y[0]'), 'Index');
  assert.equal(exprKind('azurerm_x.y.0'), 'Index');
  assert.equal(exprKind('a ? b : c ? d : e'), 'Conditional');
  assert.equal(exprKind('!a && b || c == d'), 'Binary');
  assert.equal(exprKind('-1'), 'Unary');
  assert.equal(exprKind('(1 + 2) * 3 % 4 / 5 - 6 >= 7'), 'Binary');
  assert.equal(exprKind('"%{ if var.x }yes%{ else }no%{ endif ~}"'), 'Template');
  assert.equal(exprKind('"%{ for s in var.l ~}${s},%{ endfor }"'), 'Template');
});

test('operator precedence', () => {
  const e = attr('a = 1 + 2 * 3 == 7 || false\n').expr;
  assert.equal(e.kind, 'Binary');
  if (e.kind === 'Binary') {
    assert.equal(e.op.text, '||');
    assert.equal(e.left.kind === 'Binary' && e.left.op.text, '==');
  }
});

test('heredocs, plain and flush, with interpolation and CRLF', () => {
  const a = attr('a = <<EOT\nhello ${name}\n  world\nEOT\nb = 1\n');
  assert.equal(a.expr.kind, 'Template');
  const f = attr('a = <<-EOT\n    one\n      two\n    EOT\n');
  assert.equal(literalValue(f.expr), 'one\n  two\n');
  const crlf = attr('a = <<EOT\r\nx\r\nEOT\r\nb = "y"\r\n', 'b');
  assert.equal(literalValue(crlf.expr), 'y');
});

test('BOM and CRLF round-trip', () => {
  const text = '\uFEFFvariable "x" {\r\n  default = "a"\r\n}\r\n';
  const r = parseHcl(text);
  assert.deepEqual(r.errors, []);
  assert.equal(printHcl(r.tree), text);
});

test('literal values: escapes, numbers, collections', () => {
  assert.equal(literalValue(attr('a = "q\\"\\n\\u00e9$${x}%%{y}"\n').expr), 'q"\né${x}%{y}');
  assert.deepEqual(literalValue(attr('a = { x = [1, -2.5, true, null], "y z" = "w" }\n').expr), { x: [1, -2.5, true, null], 'y z': 'w' });
  assert.equal(literalValue(attr('a = "${x}"\n').expr), undefined);
});

test('a half-typed block does not swallow the following blocks', () => {
  const text = 'resource "azurerm_databricks_workspace" "a" {\n  name = \n  sku = "premium"\n\nresource "azurerm_storage_account" "b" {\n  name = "x"\n}\n';
  const r = parseHcl(text);
  assert.ok(r.errors.length > 0);
  assert.equal(printHcl(r.tree), text);
  const blocks = r.tree.body.items.filter((i): i is Block => i.kind === 'Block');
  assert.deepEqual(blocks.map((b) => labelText(b.labels[1])), ['a', 'b']);
  const sku = blocks[0].body.items.find((i) => i.kind === 'Attribute' && i.name.text === 'sku');
  assert.ok(sku, 'the attribute after the broken one is kept');
});

test('a half-typed string or interpolation stays on its line', () => {
  for (const broken of ['  name = "abc\n', '  name = "${var.\n', '  name = "${var.x\n', '  name = "${merge(\n']) {
    const text = `resource "azurerm_databricks_workspace" "a" {\n${broken}  sku = "premium"\n}\n\nresource "azurerm_storage_account" "b" {\n  name = "x"\n}\n`;
    const r = parseHcl(text);
    assert.ok(r.errors.length > 0);
    assert.equal(printHcl(r.tree), text);
    const blocks = r.tree.body.items.filter((i): i is Block => i.kind === 'Block');
    assert.deepEqual(blocks.map((b) => labelText(b.labels[1])), ['a', 'b'], broken);
    if (!broken.includes('merge')) {
      assert.ok(blocks[0].body.items.some((i) => i.kind === 'Attribute' && i.name.text === 'sku'), `sku kept after ${JSON.stringify(broken)}`);
    }
  }
});

test('pathological nesting gives an error, not a stack overflow', () => {
  for (const text of ['a = ' + '['.repeat(20000) + '\nb = 1\n', 'a = ' + '"${'.repeat(5000) + '\n', 'x {\n'.repeat(5000), 'a = ' + '{ b = '.repeat(5000) + '\n']) {
    const r = parseHcl(text);
    assert.equal(printHcl(r.tree), text);
    assert.ok(r.errors.length > 0);
  }
  // A long run of unary operators is valid and parses without recursion.
  const negations = 'a = ' + '-'.repeat(20000) + '1\n';
  assert.deepEqual(parseHcl(negations).errors, []);
});

test('errors carry spans and messages; never throws on garbage', () => {
  for (const text of ['{', '}', '"', 'a = "${', 'a = [1,', 'x {', 'a = <<EOT\nno end', '= = =', 'a = (1', '%{', 'a = "%{ if }"', 'resource "x" "y" { a = 1 b = 2 }', 'a = "%{ if x }y"', 'a = "%{ endfor }"']) {
    const r = parseHcl(text);
    assert.equal(printHcl(r.tree), text);
    assert.ok(r.errors.length > 0, `expected an error for ${JSON.stringify(text)}`);
    for (const e of r.errors) {
      assert.ok(e.span.start <= e.span.end && e.span.end <= text.length);
      assert.ok(e.message.length > 0);
    }
  }
});

test('agrees with hcl2json on tricky literals', async () => {
  const text = [
    'a = "tab\\there \\"q\\" \\\\ \\u00e9 $${lit} %%{lit}"',
    'b = <<-EOT',
    '    one',
    '',
    '      two $${x}',
    '    EOT',
    'c = <<EOT',
    '  keep',
    'EOT',
    'd = -0.5e-2',
    'e = { "k" = [true, null], l : 3 }',
    'f = 12345678901',
    '',
  ].join('\n');
  const theirs = (await hcl2json('t.tf', text)) as Record<string, unknown>;
  const r = parseHcl(text);
  assert.deepEqual(r.errors, []);
  for (const item of r.tree.body.items) {
    if (item.kind !== 'Attribute') continue;
    assert.deepEqual(asTerraformJson(literalValue(item.expr)), theirs[item.name.text], item.name.text);
  }
});
