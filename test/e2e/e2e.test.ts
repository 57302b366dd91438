// node:test wrapper (picked up by scripts/run-tests.mjs) for the tests that need a real VS Code:
//  1. the in-host mocha suite (test/e2e/suite) through @vscode/test-electron's runTests;
//  2. the packaged .vsix installed into code-server (test/e2e/installed);
//  3. the UI smoke test with playwright-core in Chromium (test/e2e/ui/smoke.ts).
// Without Chromium or code-server these skip and say why; BRICKGUARD_E2E=required turns the skip
// into a failure (CI). `npm run e2e:setup` installs both.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test, type TestContext } from 'node:test';
import { REPO_ROOT, findPrerequisites } from './harness';
import { MAX_VSIX_BYTES, runPackagedCheck } from './packaged';
import { runE2e } from './runTest';
import { runUiSmoke } from './ui/smoke';

const required = process.env.BRICKGUARD_E2E === 'required';
const prerequisites = findPrerequisites();

/** Skips (or, with BRICKGUARD_E2E=required, fails) when the real-VS-Code setup is missing. */
function needsRealVsCode(t: TestContext): boolean {
  if (prerequisites.missing.length === 0) return true;
  const message = `real-VS-Code test not run: ${prerequisites.missing.join('; ')}`;
  if (required) assert.fail(`${message} (BRICKGUARD_E2E=required)`);
  t.skip(message);
  return false;
}

function logTail(file: string, lines = 80): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** The extension's own lines (client and server messages) and extension-host errors from a log. */
function brickguardLines(file: string, lines = 40): string {
  if (!existsSync(file)) return '(no log)';
  const wanted = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('[Brickguard') || l.startsWith('[exthost ERR]'));
  return wanted.slice(-lines).join('\n') || '(no Brickguard lines)';
}

function failures(report: { failed: { title: string; error: string }[] }): string[] {
  return report.failed.map((f) => `${f.title}: ${f.error.split('\n').slice(0, 6).join('\n    ')}`);
}

describe('Brickguard in a real VS Code', () => {
  before(() => {
    if (prerequisites.missing.length > 0) return;
    // npm test builds dist/ first; build it here too when this file runs on its own.
    if (!existsSync(join(REPO_ROOT, 'dist', 'client.js')) || !existsSync(join(REPO_ROOT, 'dist', 'cli.js'))) {
      const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, `node scripts/build.mjs failed:\n${build.stderr}`);
    }
    const e2eBuild = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'e2e-build.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(e2eBuild.status, 0, `node scripts/e2e-build.mjs failed:\n${e2eBuild.stderr}`);
  });

  test('the extension suite passes inside the extension host (diagnostics, fixes, hover, settings, brickguard.json, commands, status bar, snippets)', { timeout: 6 * 60_000 }, async (t) => {
    if (!needsRealVsCode(t)) return;
    const run = await runE2e();
    t.diagnostic(`VS Code: ${run.mode}; ${(run.durationMs / 1000).toFixed(1)} s; log: ${run.logFile}`);
    assert.ok(run.report, `the suite did not report (exit ${run.exitCode}); last log lines:\n${logTail(run.logFile)}`);
    t.diagnostic(`${run.report.passed.length} passed, ${run.report.failed.length} failed, ${run.report.pending.length} pending`);
    for (const p of run.report.pending) t.diagnostic(`pending: ${p.title} — ${p.reason}`);
    assert.deepEqual(
      failures(run.report),
      [],
      `end-to-end failures; full log: ${run.logFile}\n--- Brickguard and extension-host error lines ---\n${brickguardLines(run.logFile)}`,
    );
    assert.ok(run.report.passed.length > 0, 'at least one test ran');
    assert.equal(run.exitCode, 0, `VS Code exited with ${run.exitCode}; last log lines:\n${logTail(run.logFile)}`);
  });

  test(`npm run package gives a .vsix under ${MAX_VSIX_BYTES / 1024} KB that installs into code-server and works`, { timeout: 5 * 60_000 }, async (t) => {
    if (!needsRealVsCode(t)) return;
    const run = await runPackagedCheck();
    t.diagnostic(`vsix: ${(run.bytes / 1024).toFixed(1)} KB; check ran in ${(run.durationMs / 1000).toFixed(1)} s`);
    assert.ok(run.bytes < MAX_VSIX_BYTES, `the .vsix is ${run.bytes} bytes`);
    assert.ok(run.report, `the packaged check did not report (exit ${run.exitCode}):\n${run.logs.slice(-60).join('\n')}`);
    const log = run.logs.filter((l) => l.includes('[Brickguard') || l.startsWith('[exthost ERR]')).slice(-40).join('\n');
    assert.deepEqual(failures(run.report), [], `packaged-extension failures\n--- Brickguard and extension-host error lines ---\n${log}`);
    assert.equal(run.exitCode, 0);
  });

  test('UI smoke: squiggles, status bar, hover, Ctrl+. quick fix and a scan from the status bar, with screenshots', { timeout: 5 * 60_000 }, async (t) => {
    if (!needsRealVsCode(t)) return;
    const dir = process.env.BRICKGUARD_SCREENSHOTS_DIR ?? join(REPO_ROOT, 'out', 'screenshots');
    const run = await runUiSmoke({ screenshotsDir: dir });
    for (const s of run.steps) t.diagnostic(s);
    t.diagnostic(`${(run.durationMs / 1000).toFixed(1)} s; screenshots in ${dir}`);
    for (const name of ['diagnostics', 'hover', 'quickfix', 'workspace-scan', 'catalogue']) {
      const file = join(dir, `${name}.png`);
      assert.ok(existsSync(file) && statSync(file).size > 10_000, `${file} was written`);
    }
  });
});
