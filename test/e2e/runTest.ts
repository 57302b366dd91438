// Runs the end-to-end suite (out/e2e/suite) with @vscode/test-electron's runTests, in a temporary
// copy of test/e2e/fixtures/workspace.
//  - With a downloadable VS Code (network and a display), runTests downloads desktop VS Code.
//  - Offline (this project's CI), runTests launches test/e2e/bin/code-server-vscode, which runs the
//    same suite in code-server's VS Code driven by Chromium (see harness.ts).
// BRICKGUARD_E2E_VSCODE=download|code-server forces one. Run: node out/e2e/runTest.js
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, readJsonIfExists } from './harness';
import type { E2eReport } from './suite/index';

export interface E2eRun {
  mode: 'download' | 'code-server';
  exitCode: number;
  report?: E2eReport;
  durationMs: number;
  logFile: string;
}

async function canDownloadVsCode(): Promise<boolean> {
  if (!process.env.DISPLAY) return false;
  try {
    await Promise.race([
      lookup('update.code.visualstudio.com'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

export async function runE2e(options: { grep?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string } = {}): Promise<E2eRun> {
  const started = Date.now();
  const forced = process.env.BRICKGUARD_E2E_VSCODE;
  const mode = forced === 'download' || forced === 'code-server' ? forced : (await canDownloadVsCode()) ? 'download' : 'code-server';
  const scratch = mkdtempSync(join(tmpdir(), 'brickguard-e2e-run-'));
  const workspace = join(scratch, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const reportFile = join(scratch, 'report.json');
  const logFile = join(tmpdir(), `brickguard-e2e-${process.pid}.log`);
  let exitCode = 0;
  try {
    await runTests({
      vscodeExecutablePath: mode === 'code-server' ? join(REPO_ROOT, 'test', 'e2e', 'bin', 'code-server-vscode') : undefined,
      version: '1.100.3',
      extensionDevelopmentPath: options.extensionDevelopmentPath ?? REPO_ROOT,
      extensionTestsPath: options.extensionTestsPath ?? join(REPO_ROOT, 'out', 'e2e', 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: {
        BRICKGUARD_E2E_REPORT: reportFile,
        BRICKGUARD_E2E_LOG: logFile,
        BRICKGUARD_LOG_TO_CONSOLE: '1',
        ...(options.grep ? { BRICKGUARD_E2E_GREP: options.grep } : {}),
      },
    });
  } catch (error) {
    const code = (error as { code?: number }).code;
    exitCode = typeof code === 'number' ? code : 1;
  }
  const report = readJsonIfExists<E2eReport>(reportFile);
  rmSync(scratch, { recursive: true, force: true });
  return { mode, exitCode, report, durationMs: Date.now() - started, logFile };
}

if (require.main === module) {
  void runE2e({ grep: process.env.BRICKGUARD_E2E_GREP }).then((run) => {
    const r = run.report;
    console.log(
      `e2e (${run.mode}): exit ${run.exitCode}, ${r ? `${r.passed.length} passed, ${r.failed.length} failed, ${r.pending.length} pending` : 'no report'}, ${(run.durationMs / 1000).toFixed(1)} s; log: ${run.logFile}`,
    );
    for (const p of r?.pending ?? []) console.log(`  pending: ${p.title} — ${p.reason}`);
    for (const f of r?.failed ?? []) console.log(`  FAILED: ${f.title}\n${f.error}`);
    process.exit(run.exitCode === 0 && r && r.failed.length === 0 ? 0 : 1);
  });
}
