// Minimal JSON edits keep each container's own layout.
import assert from 'node:assert/strict';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { test } from 'node:test';
import { appendMember, removeMember } from '../../server/src/fixes/json-edit';
import { applyEdits } from '../../server/src/text';

const style = { indentUnit: '  ', eol: '\n' };

function append(text: string, path: (string | number)[], key: string | undefined, value: Parameters<typeof appendMember>[3]): string {
  const node = path.length === 0 ? parseTree(text)! : findNodeAtLocation(parseTree(text)!, path)!;
  const edit = appendMember(text, node, key, value, style);
  assert.ok(edit);
  return applyEdits(text, [edit]);
}

test('a one-line object stays on one line', () => {
  assert.equal(append('{ "a": { "x": 1 } }', ['a'], 'y', { value: true }), '{ "a": { "x": 1, "y": { "value": true } } }');
});

test('a multi-line object gets one member a line at the siblings’ indentation', () => {
  const text = '{\n  "a": {\n    "x": 1\n  }\n}';
  assert.equal(append(text, ['a'], 'p', { q: true }), '{\n  "a": {\n    "x": 1,\n    "p": {\n      "q": true\n    }\n  }\n}');
});

test('a trailing comma is kept', () => {
  assert.equal(append('{\n  "x": 1,\n}', [], 'y', 2), '{\n  "x": 1,\n  "y": 2,\n}');
});

test('an empty object is expanded', () => {
  assert.equal(append('{\n  "a": {}\n}', ['a'], 'y', 'z'), '{\n  "a": {\n    "y": "z"\n  }\n}');
});

test('arrays: one-line and multi-line', () => {
  assert.equal(append('{ "v": ["a"] }', ['v'], undefined, 'b'), '{ "v": ["a", "b"] }');
  assert.equal(append('{ "v": [] }', ['v'], undefined, 'b'), '{ "v": ["b"] }');
  assert.equal(append('{\n  "v": [\n    "a"\n  ]\n}', ['v'], undefined, 'b'), '{\n  "v": [\n    "a",\n    "b"\n  ]\n}');
});

test('an unterminated container is left alone', () => {
  const text = '{ "a": { "x": 1 ';
  const node = findNodeAtLocation(parseTree(text)!, ['a'])!;
  assert.equal(appendMember(text, node, 'y', 2, style), undefined);
});

test('removing a member takes its comma along', () => {
  const text = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}';
  const root = parseTree(text)!;
  const props = root.children!;
  assert.equal(applyEdits(text, [removeMember(text, root, props[1])!]), '{\n  "a": 1,\n  "c": 3\n}');
  assert.equal(applyEdits(text, [removeMember(text, root, props[0])!]), '{\n  "b": 2,\n  "c": 3\n}');
  assert.equal(applyEdits(text, [removeMember(text, root, props[2])!]), '{\n  "a": 1,\n  "b": 2\n}');
});
