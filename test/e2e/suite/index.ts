// Entry point that VS Code's extension host loads as extensionTestsPath: runs the mocha suite and
// writes a JSON report (passed/failed/pending with reasons) to $BRICKGUARD_E2E_REPORT for the
// node:test wrapper. Works the same under desktop VS Code (@vscode/test-electron) and code-server.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { pendingReasons } from './helpers';

export interface E2eReport {
  passed: string[];
  failed: { title: string; error: string }[];
  pending: { title: string; reason: string }[];
  durationMs: number;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.BRICKGUARD_E2E_GREP;
  if (grep) mocha.grep(grep);
  const only = process.env.BRICKGUARD_E2E_FILES?.split(',').filter(Boolean);
  for (const file of readdirSync(__dirname).sort()) {
    if (!file.endsWith('.e2e.js')) continue;
    if (only && !only.some((o) => file.startsWith(o))) continue;
    mocha.addFile(join(__dirname, file));
  }
  const report: E2eReport = { passed: [], failed: [], pending: [], durationMs: 0 };
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => report.passed.push(t.fullTitle()));
      runner.on('fail', (t, err: Error) => report.failed.push({ title: t.fullTitle(), error: err?.stack ?? String(err) }));
      runner.on('pending', (t) =>
        report.pending.push({ title: t.fullTitle(), reason: pendingReasons.get(t.fullTitle()) ?? 'marked pending' }),
      );
    } catch (error) {
      reject(error);
    }
  });
  report.durationMs = Date.now() - started;
  const reportPath = process.env.BRICKGUARD_E2E_REPORT;
  if (reportPath) writeFileSync(reportPath, JSON.stringify(report, null, 2));
  console.log(
    `[brickguard-e2e] ${report.passed.length} passed, ${report.failed.length} failed, ${report.pending.length} pending`,
  );
  if (report.failed.length > 0) throw new Error(`${report.failed.length} end-to-end test(s) failed`);
}
