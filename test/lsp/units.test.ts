// Small parts of the LSP adapter: settings normalisation, URI mapping and edit conversion.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { UriMap, toWorkspaceEdit, uriToPath } from '../../server/src/lsp/convert';
import { DEFAULT_MAX_FILE_SIZE, normalizeSettings } from '../../server/src/lsp/settings';
import { LineIndex } from '../../server/src/text';
import { formatBytes } from '../../server/src/lsp/server';
import { DEFAULT_MAX_FILE_SIZE as CLI_MAX_FILE_SIZE } from '../../server/src/engine/read';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

it('normalizes settings leniently', () => {
  assert.deepEqual(normalizeSettings(undefined), { enable: true, rules: {}, maxFileSize: DEFAULT_MAX_FILE_SIZE, trace: 'off' });
  assert.deepEqual(
    normalizeSettings({ enable: false, rules: { a: 'off', b: 'loud', c: 'info' }, maxFileSize: -3, trace: { server: 'verbose' } }),
    { enable: false, rules: { a: 'off', c: 'info' }, maxFileSize: DEFAULT_MAX_FILE_SIZE, trace: 'verbose' },
  );
  assert.equal(normalizeSettings({ maxFileSize: 1000 }).maxFileSize, 1000);
});

it('the file size limit without settings is the one of package.json and the CLI: 5 MB, shown in decimal units', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
  };
  assert.equal(normalizeSettings(undefined).maxFileSize, 5_000_000);
  assert.equal(normalizeSettings({}).maxFileSize, CLI_MAX_FILE_SIZE);
  assert.equal(pkg.contributes.configuration.properties['brickguard.maxFileSize'].default, 5_000_000);
  assert.equal(formatBytes(5_000_000), '5 MB');
  assert.equal(formatBytes(6_250_000), '6.3 MB');
  assert.equal(formatBytes(1500), '1.5 kB');
  assert.equal(formatBytes(200), '200 bytes');
});

it('maps file and untitled URIs to paths and back', () => {
  const uris = new UriMap();
  const path = uris.remember('file:///tmp/a%20b/main.bicep');
  assert.equal(path, '/tmp/a b/main.bicep');
  assert.equal(uris.uriFor('/tmp/a b/main.bicep'), 'file:///tmp/a%20b/main.bicep');
  assert.equal(uriToPath('untitled:Untitled-1'), undefined);
  const untitled = uris.remember('untitled:Untitled-1', 'terraform');
  assert.ok(untitled?.endsWith('Untitled-1.tf'));
  assert.equal(uris.pathOf('untitled:Untitled-1'), untitled);
  assert.equal(uris.uriFor(untitled!), 'untitled:Untitled-1');
  uris.forget('untitled:Untitled-1');
  assert.equal(uris.pathOf('untitled:Untitled-1'), undefined);
  assert.equal(uris.remember('untitled:Untitled-2', 'markdown'), undefined);
});

it('converts edits in several files to a WorkspaceEdit with UTF-16 positions', () => {
  const texts = new Map([
    ['/w/main.json', '{\n  "a": "é😀x"\n}\n'],
    ['/w/main.parameters.json', '{}\n'],
  ]);
  const indexFor = (p: string) => (texts.has(p) ? new LineIndex(texts.get(p)!) : undefined);
  const uris = new UriMap();
  const start = texts.get('/w/main.json')!.indexOf('x');
  const edits = [
    { file: '/w/main.json', span: { start, end: start + 1 }, newText: 'y' },
    { file: '/w/main.parameters.json', span: { start: 1, end: 1 }, newText: ' ' },
  ];
  const changes = toWorkspaceEdit(edits, indexFor, uris, () => null, false);
  assert.deepEqual(changes?.changes?.['file:///w/main.json'], [
    { range: { start: { line: 1, character: 11 }, end: { line: 1, character: 12 } }, newText: 'y' }, // é is one unit, 😀 two
  ]);
  const documentChanges = toWorkspaceEdit(edits, indexFor, uris, (p) => (p === '/w/main.json' ? 7 : null), true);
  assert.deepEqual(
    documentChanges?.documentChanges?.map((d) => ('textDocument' in d ? [d.textDocument.uri, d.textDocument.version] : [])),
    [
      ['file:///w/main.json', 7],
      ['file:///w/main.parameters.json', null],
    ],
  );
  assert.equal(toWorkspaceEdit([{ file: '/w/missing.json', span: { start: 0, end: 0 }, newText: 'x' }], indexFor, uris, () => null, true), undefined);
});
