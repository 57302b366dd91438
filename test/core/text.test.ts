// Offsets, lines and the formatting facts fixes copy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex, applyEdits, detectEol, detectIndentUnit } from '../../server/src/text';

test('LineIndex maps offsets across LF, CRLF and CR', () => {
  const idx = new LineIndex('a\r\nbc\nd\re');
  assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(idx.positionAt(6), { line: 2, character: 0 });
  assert.deepEqual(idx.positionAt(8), { line: 3, character: 0 });
  assert.equal(idx.offsetAt({ line: 1, character: 1 }), 4);
  assert.equal(idx.lineText(0), 'a');
  assert.equal(idx.lineCount, 4);
});

test('LineIndex of a text with only LF line breaks (its own fast path) matches a line count by hand', () => {
  for (const text of ['', 'a', '\n', 'a\n', '\nab\n\ncd', 'x\ny\nz\n\n']) {
    const idx = new LineIndex(text);
    let line = 0;
    let col = 0;
    for (let o = 0; o <= text.length; o++) {
      assert.deepEqual(idx.positionAt(o), { line, character: col }, `${JSON.stringify(text)} at ${o}`);
      if (text[o] === '\n') {
        line++;
        col = 0;
      } else col++;
    }
    assert.equal(idx.lineCount, text.split('\n').length);
  }
});

test('line break and indentation unit are detected', () => {
  assert.equal(detectEol('a\r\nb\r\nc\n'), '\r\n');
  assert.equal(detectEol('a\nb'), '\n');
  assert.equal(detectEol('a\r\nb\nc\nd'), '\n');
  assert.equal(detectEol('a\rb'), '\n');
  assert.equal(detectIndentUnit('a {\n    b {\n        c\n    }\n}'), '    ');
  assert.equal(detectIndentUnit('a {\n\tb\n}'), '\t');
  assert.equal(detectIndentUnit('flat'), '  ');
});

test('applyEdits applies in offset order and rejects overlaps', () => {
  assert.equal(applyEdits('abcdef', [{ span: { start: 4, end: 5 }, newText: 'E' }, { span: { start: 0, end: 1 }, newText: 'A' }]), 'AbcdEf');
  assert.throws(() => applyEdits('abc', [{ span: { start: 0, end: 2 }, newText: '' }, { span: { start: 1, end: 3 }, newText: '' }]));
});
