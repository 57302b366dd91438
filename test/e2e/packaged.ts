// The packaged-extension check: builds the .vsix with `npm run package` (in a temporary copy, see
// scripts/e2e-package.mjs), checks its size, installs it into a fresh code-server and runs
// out/e2e/installed/index.js there.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, readJsonIfExists, runInCodeServer, type HarnessResult } from './harness';
import type { E2eReport } from './suite/index';

export const MAX_VSIX_BYTES = 500 * 1024;

export interface PackagedRun extends HarnessResult {
  vsix: string;
  bytes: number;
  report?: E2eReport;
}

/** Runs `npm run package` in a temporary copy; returns the .vsix path and size or throws with its output. */
export function buildVsix(out: string): { vsix: string; bytes: number } {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'e2e-package.mjs'), out], { encoding: 'utf8', timeout: 180_000 });
  if (run.status !== 0) throw new Error(`npm run package failed:\n${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { vsix: string; bytes: number };
}

export async function runPackagedCheck(): Promise<PackagedRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'brickguard-vsix-'));
  try {
    const { vsix, bytes } = buildVsix(join(scratch, 'brickguard.vsix'));
    const workspace = join(scratch, 'workspace');
    cpSync(join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
    const reportFile = join(scratch, 'report.json');
    const result = await runInCodeServer({
      workspace,
      installVsix: [vsix],
      // The workbench runs tests only for a development extension; this one is empty.
      extensionDevelopmentPath: join(REPO_ROOT, 'test', 'e2e', 'installed', 'probe'),
      extensionTestsPath: join(REPO_ROOT, 'out', 'e2e', 'installed', 'index.js'),
      env: { BRICKGUARD_E2E_REPORT: reportFile },
      timeoutMs: 3 * 60_000,
    });
    return { ...result, vsix, bytes, report: readJsonIfExists<E2eReport>(reportFile) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
