// Every ARM template of the shared corpus is analysed without an exception.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';
import { corpusFiles, corpusOrSkip } from '../helpers/corpus';

const corpus = corpusOrSkip();

test('every ARM template of the corpus is analysed without an exception', { skip: 'skip' in corpus ? corpus.skip : false }, () => {
  const files = corpusFiles('', (name) => /\.jsonc?$/i.test(name));
  const host = diskHost();
  let templates = 0;
  let withSyntaxErrors = 0;
  let findings = 0;
  const failures: string[] = [];
  for (const file of files) {
    try {
      const result = analyzePath(file, host);
      if (!result) continue;
      templates++;
      if (result.files[0].syntaxErrors.length > 0) withSyntaxErrors++;
      findings += result.findings.length;
      for (const f of result.findings) {
        assert.ok(f.span.start <= f.span.end && f.span.end <= result.files.find((x) => x.path === f.file)!.text.length, `finding range inside ${f.file}`);
      }
    } catch (e) {
      failures.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`corpus ARM: ${files.length} JSON files, ${templates} templates analysed, ${withSyntaxErrors} with syntax errors, ${findings} findings`);
  assert.deepEqual(failures, []);
  assert.ok(templates >= 300, `expected the corpus's ~320 ARM templates, analysed ${templates}`);
});
