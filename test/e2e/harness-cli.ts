// Command-line face of the code-server harness, called through test/e2e/bin/code-server-vscode with
// the arguments @vscode/test-electron gives a VS Code executable. Unknown flags are ignored.
// Exit code: the suite's exit code; 2 when the harness itself failed (message and log tail on stderr).
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HarnessError, runInCodeServer } from './harness';

function parse(argv: string[]): { devPath?: string; testsPath?: string; folder?: string } {
  const result: { devPath?: string; testsPath?: string; folder?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string) => (arg.startsWith(`${name}=`) ? arg.slice(name.length + 1) : arg === name ? argv[++i] : undefined);
    const dev = value('--extensionDevelopmentPath');
    const tests = value('--extensionTestsPath');
    if (dev !== undefined) result.devPath = resolve(dev);
    else if (tests !== undefined) result.testsPath = resolve(tests);
    else if (arg.startsWith('--')) {
      // Flags with a separate value that test-electron or users pass.
      if (['--user-data-dir', '--extensions-dir', '--locale'].includes(arg)) i++;
    } else result.folder = resolve(arg);
  }
  return result;
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (!args.folder) {
    process.stderr.write('code-server-vscode: no folder to open was given\n');
    return 2;
  }
  const logFile = process.env.BRICKGUARD_E2E_LOG;
  if (logFile) writeFileSync(logFile, '');
  try {
    const result = await runInCodeServer({
      extensionDevelopmentPath: args.devPath,
      extensionTestsPath: args.testsPath,
      workspace: args.folder,
      timeoutMs: Number(process.env.BRICKGUARD_E2E_TIMEOUT_MS ?? 5 * 60_000),
    });
    if (logFile) appendFileSync(logFile, result.logs.join('\n') + '\n');
    for (const line of result.logs) {
      if (line.startsWith('[exthost') && line.includes('brickguard-e2e')) process.stdout.write(`${line}\n`);
    }
    process.stdout.write(`code-server harness: exit ${result.exitCode} after ${(result.durationMs / 1000).toFixed(1)} s\n`);
    if (result.exitCode !== 0) {
      // The caller reads the log file when it set one; otherwise show the tail here.
      if (logFile) process.stderr.write(`code-server harness: full log in ${logFile}\n`);
      else process.stderr.write(`--- last log lines ---\n${result.logs.slice(-80).join('\n')}\n`);
    }
    return result.exitCode;
  } catch (error) {
    const logs = error instanceof HarnessError ? error.logs : [];
    if (logFile) appendFileSync(logFile, logs.join('\n') + '\n');
    process.stderr.write(`code-server harness failed: ${(error as Error).message}\n`);
    return 2;
  }
}

void main().then((code) => process.exit(code));
