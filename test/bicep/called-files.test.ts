// Finding a Bicep template's called modules without lowering it (the deployment index does this
// for every caller) must name exactly the files that loading its unit reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calledFiles, diskHost, mayCallModules } from '../../server/src/engine';
import { bicepCalledFiles, loadBicepUnit } from '../../server/src/frontends/bicep/lower';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';
import { memoryHost } from './memhost';

const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();

describe('bicepCalledFiles', () => {
  it('follows nested local modules, not registry modules, cycles, the root, missing files or paths outside the workspace', () => {
    const host = memoryHost({
      '/ws/main.bicep': "module a 'a.bicep' = {\n  name: 'a'\n}\nmodule r 'br/public:avm/res/x:1.0' = {\n  name: 'r'\n}\nmodule gone 'missing.bicep' = {\n  name: 'g'\n}\nmodule out '../outside.bicep' = {\n  name: 'o'\n}\n",
      '/ws/a.bicep': "module b 'sub/b.bicep' = {\n  name: 'b'\n}\nmodule back 'main.bicep' = {\n  name: 'back'\n}\n",
      '/ws/sub/b.bicep': "module a '../a.bicep' = {\n  name: 'a'\n}\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 's'\n}\n",
      '/outside.bicep': "resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 's'\n}\n",
    });
    const expected = sorted(calledFiles(loadBicepUnit('/ws/main.bicep', host)));
    assert.deepEqual(expected, ['/ws/a.bicep', '/ws/sub/b.bicep']);
    assert.deepEqual(sorted(bicepCalledFiles('/ws/main.bicep', host)), expected);
  });

  it('stops at the same module depth as the lowering', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`/ws/m${i}.bicep`] = `module next 'm${i + 1}.bicep' = {\n  name: 'n'\n}\n`;
    const host = memoryHost(files);
    const expected = sorted(calledFiles(loadBicepUnit('/ws/m0.bicep', host)));
    assert.ok(expected.length > 0 && expected.length < 11, `lowering reads ${expected.length} modules`);
    assert.deepEqual(sorted(bicepCalledFiles('/ws/m0.bicep', host)), expected);
  });

  it('names the same files as loading the unit, for every corpus template that calls modules', (t) => {
    const corpus = corpusOrSkip();
    if ('skip' in corpus) return t.skip(corpus.skip);
    const host = diskHost([corpus.root]);
    let callers = 0;
    for (const f of corpusFiles('', (n) => n.endsWith('.bicep'))) {
      const text = host.readFile(f);
      if (text === undefined || !mayCallModules(f, text)) continue;
      callers++;
      assert.deepEqual(sorted(bicepCalledFiles(f, host)), sorted(calledFiles(loadBicepUnit(f, host))), f);
    }
    assert.ok(callers > 100, `${callers} callers`);
  });
});

describe('a called file loaded without lowering (scan without --fix)', () => {
  const ownReport = (path: string, host: ReturnType<typeof diskHost>, lower: boolean) => {
    const unit = loadBicepUnit(path, host, { modules: false, lower });
    const own = unit.files.find((f) => f.path === path);
    return { ownFiles: unit.ownFiles, syntaxErrors: own?.syntaxErrors, comments: own?.comments, notes: unit.notes ?? [] };
  };

  it('keeps the syntax errors and the note on a module path outside the workspace, and has no resources', () => {
    const host = memoryHost({
      '/ws/mod.bicep': "module out '../outside.bicep' = {\n  name: 'o'\n}\n// brickguard-disable-next-line storage-min-tls\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 's'\n  properties: {\n",
      '/outside.bicep': 'param x string\n',
    });
    const lowered = ownReport('/ws/mod.bicep', host, true);
    const parsed = ownReport('/ws/mod.bicep', host, false);
    assert.equal(parsed.notes.length, 1);
    assert.match(parsed.notes[0].message, /module outside the workspace/);
    assert.ok((parsed.syntaxErrors ?? []).length > 0);
    assert.deepEqual(parsed, lowered);
    assert.deepEqual(loadBicepUnit('/ws/mod.bicep', host, { modules: false, lower: false }).resources, []);
  });

  it('reports what the lowered unit reports, for every corpus template', (t) => {
    const corpus = corpusOrSkip();
    if ('skip' in corpus) return t.skip(corpus.skip);
    const host = diskHost([corpus.root]);
    let files = 0;
    for (const f of corpusFiles('', (n) => n.endsWith('.bicep'))) {
      files++;
      assert.deepEqual(ownReport(f, host, false), ownReport(f, host, true), f);
    }
    assert.ok(files > 1000, `${files} files`);
  });
});
