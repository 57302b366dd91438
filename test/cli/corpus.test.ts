// The CLI over the real-world corpus: no internal errors, valid reports, and --fix converges.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { corpusOrSkip } from '../helpers/corpus';
import { cliInvocation } from '../helpers/lspClient';
import { sarifProblems } from '../helpers/sarif';

function brickguard(cwd: string, ...args: string[]) {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, ...args], { cwd, encoding: 'utf8', timeout: 120000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

const corpus = corpusOrSkip();

it('scans the corpus as json and sarif without internal errors', { skip: 'skip' in corpus ? corpus.skip : false }, () => {
  if (!('root' in corpus)) return;
  const json = brickguard(corpus.root, 'scan', 'databricks', '--format', 'json');
  assert.ok(json.code === 0 || json.code === 1, json.stderr);
  assert.doesNotMatch(json.stderr, /internal error/);
  const report = JSON.parse(json.stdout) as { files: { path: string }[]; findings: { ruleId: string; path: string }[] };
  assert.ok(report.files.length > 100, `${report.files.length} files`);
  const scanned = new Set(report.files.map((f) => f.path));
  for (const f of report.findings) assert.ok(scanned.has(f.path), `finding in a scanned file: ${f.path}`);

  const sarif = JSON.parse(brickguard(corpus.root, 'scan', 'databricks', '--format', 'sarif').stdout) as {
    runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; partialFingerprints: Record<string, string> }[] }[];
  };
  // Valid SARIF 2.1.0 that meets GitHub's rules, line hashes included.
  assert.deepEqual(sarifProblems(sarif, corpus.root), []);
  const results = sarif.runs[0].results;
  assert.equal(results.length, report.findings.length);
  const keys = results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri} ${Object.values(r.partialFingerprints)[0]}`);
  assert.equal(new Set(keys).size, keys.length, 'fingerprints are unique within a file');
});

it('--fix on a copy of the corpus converges: a second --fix changes nothing', { skip: 'skip' in corpus ? corpus.skip : false }, () => {
  if (!('root' in corpus)) return;
  const root = mkdtempSync(join(tmpdir(), 'brickguard-corpus-'));
  try {
    cpSync(join(corpus.root, 'databricks'), root, { recursive: true });
    const first = brickguard(root, 'scan', '--fix', '--format', 'json');
    assert.doesNotMatch(first.stderr, /internal error/);
    const report = JSON.parse(first.stdout) as { findings: { ruleId: string; fixes: { preferred: boolean; kind: string }[] }[]; changedFiles: string[] };
    assert.ok(report.changedFiles.length > 0, 'the corpus has fixable findings');
    const unfixed = report.findings.filter((f) => f.fixes.some((x) => x.preferred && x.kind === 'fix'));
    assert.deepEqual(unfixed.map((f) => f.ruleId), [], 'every finding with a preferred fix was fixed');
    const before = snapshot(root);
    const second = brickguard(root, 'scan', '--fix', '--format', 'json');
    assert.deepEqual((JSON.parse(second.stdout) as { changedFiles: string[] }).changedFiles, []);
    const after = snapshot(root);
    for (const [file, text] of before) assert.equal(after.get(file), text, file);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
