// The code-server harness: runs Brickguard in a real VS Code (code-server's VS Code server and
// workbench, with a real Node extension host) driven by Debian's Chromium through playwright-core.
// Works offline. See /work/shared/spec/e2e-offline.md for the facts this relies on.
//
// Two uses:
//   - runInCodeServer({ extensionTestsPath, … }) runs a mocha suite inside the extension host and
//     resolves with its exit code (what @vscode/test-electron's runTests does with desktop VS Code);
//   - runInCodeServer({ drive }) hands the page to a UI script (the playwright smoke test).
// Every run has a hard timeout that closes Chromium and kills the server's whole process group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import type { Browser, BrowserServer, Page } from 'playwright-core';

/** The repository root: the nearest folder above this file whose package.json is Brickguard's. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"brickguard"/.test(readFileSync(manifest, 'utf8'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, '..', '..');
    dir = parent;
  }
}
export const CODE_SERVER_VERSION = '4.100.3';

export interface Prerequisites {
  serverMain?: string;
  chromium?: string;
  /** Human-readable reasons why a run is not possible; empty when it is. */
  missing: string[];
}

/** Finds code-server's VS Code server and a Chromium binary (env overrides: BRICKGUARD_CODE_SERVER, CHROMIUM_PATH). */
export function findPrerequisites(): Prerequisites {
  const missing: string[] = [];
  const codeServerDir = process.env.BRICKGUARD_CODE_SERVER ?? join(REPO_ROOT, '.e2e', 'code-server', 'node_modules', 'code-server');
  const serverMain = join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js');
  if (!existsSync(serverMain)) {
    missing.push(`code-server ${CODE_SERVER_VERSION} not found at ${codeServerDir} (run: npm run e2e:setup)`);
  }
  const chromium = findChromium();
  if (!chromium) missing.push('no Chromium browser found (install the Debian package "chromium" or set CHROMIUM_PATH)');
  return { serverMain: existsSync(serverMain) ? serverMain : undefined, chromium, missing };
}

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir) candidates.push(join(dir, 'chromium'), join(dir, 'chromium-browser'));
  }
  return candidates.find((c): c is string => !!c && existsSync(c));
}

export interface DriveContext {
  page: Page;
  port: number;
  workspace: string;
  log: (line: string) => void;
}

export interface HarnessOptions {
  /** The folder of the extension under development (package.json). Omit to run only installed extensions. */
  extensionDevelopmentPath?: string;
  /** A compiled mocha entry (exports run()) run inside the extension host. */
  extensionTestsPath?: string;
  /** The folder opened in the workbench. */
  workspace: string;
  /** .vsix files installed into the fresh extensions folder before the server starts. */
  installVsix?: string[];
  /** Environment for the server, and so for the extension host (e.g. where the suite writes its report). */
  env?: Record<string, string>;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** A UI script; the run ends when it resolves (exit code 0) or throws. */
  drive?: (ctx: DriveContext) => Promise<void>;
  /** Hard limit for the whole run (default 5 minutes). */
  timeoutMs?: number;
  /** Browser viewport (screenshots). */
  viewport?: { width: number; height: number };
  /** Echo log lines as they arrive (default: only when BRICKGUARD_E2E_VERBOSE is set). */
  echo?: boolean;
}

export interface HarnessResult {
  exitCode: number;
  durationMs: number;
  /** Server output, extension-host console and workbench errors, in arrival order. */
  logs: string[];
}

export class HarnessError extends Error {
  constructor(message: string, readonly logs: string[]) {
    super(`${message}\n--- last log lines ---\n${logs.slice(-60).join('\n')}`);
  }
}

const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
};

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function remoteUri(port: number, path: string): string {
  return `vscode-remote://127.0.0.1:${port}${path}`;
}

/** The workbench URL that opens `workspace` with the given development/test payload. */
export function workbenchUrl(port: number, workspace: string, devPath?: string, testsPath?: string): string {
  const payload: [string, string][] = [];
  if (devPath) payload.push(['extensionDevelopmentPath', remoteUri(port, devPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remoteUri(port, testsPath)]);
  let url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Formats a workbench console message; extension-host lines arrive as ('%c INFO', 'color:…', fmt, ...args). */
function formatConsole(args: unknown[]): string {
  if (typeof args[0] === 'string' && args[0].startsWith('%c') && typeof args[1] === 'string') {
    const level = args[0].slice(2).trim();
    return `[exthost ${level}] ${format(...(args.slice(2) as [unknown, ...unknown[]]))}`;
  }
  return format(...(args as [unknown, ...unknown[]]));
}

function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Runs one session of VS Code (server + Chromium); see the file comment. */
export async function runInCodeServer(options: HarnessOptions): Promise<HarnessResult> {
  const started = Date.now();
  const prerequisites = findPrerequisites();
  if (prerequisites.missing.length > 0) throw new HarnessError(prerequisites.missing.join('; '), []);
  const serverMain = prerequisites.serverMain!;
  const logs: string[] = [];
  const echo = options.echo ?? !!process.env.BRICKGUARD_E2E_VERBOSE;
  const log = (line: string) => {
    logs.push(line);
    if (echo) process.stderr.write(`${line}\n`);
  };

  const root = mkdtempSync(join(tmpdir(), 'brickguard-e2e-'));
  const dirs = {
    home: join(root, 'home'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    config: join(root, 'home', '.config'),
    data: join(root, 'home', '.local', 'share'),
    cache: join(root, 'home', '.cache'),
    agent: join(root, 'agent'),
    tmp: join(root, 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    VSCODE_AGENT_FOLDER: dirs.agent,
    TMPDIR: dirs.tmp,
    BRICKGUARD_LOG_TO_CONSOLE: '1',
    ...options.env,
  };
  // The extension host must not think it runs under another test runner.
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  delete env.ELECTRON_RUN_AS_NODE;

  const commonArgs = ['--user-data-dir', dirs.userData, '--server-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  for (const vsix of options.installVsix ?? []) {
    const install = spawnSync(process.execPath, [serverMain, ...commonArgs, '--accept-server-license-terms', '--install-extension', vsix, '--force'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    log(`[install] ${install.stdout}${install.stderr}`.trim());
    if (install.status !== 0) {
      rmSync(root, { recursive: true, force: true });
      throw new HarnessError(`installing ${vsix} into code-server failed (exit ${install.status})`, logs);
    }
  }

  const port = await freePort();
  let server: ChildProcess | undefined;
  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Ctrl+C or a killed test runner must not leave a server or a browser behind.
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup(server, 'SIGKILL');
    void browserServer?.kill();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server = spawn(
      process.execPath,
      [
        serverMain,
        '--host', '127.0.0.1',
        '--port', String(port),
        '--without-connection-token',
        '--accept-server-license-terms',
        '--enable-smoke-test-driver',
        '--telemetry-level', 'off',
        '--disable-workspace-trust',
        ...commonArgs,
      ],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const serverExited = new Promise<never>((_, reject) => {
      server!.on('exit', (code, signal) => reject(new HarnessError(`the VS Code server exited early (${code ?? signal})`, logs)));
      server!.on('error', (error) => reject(new HarnessError(`cannot start the VS Code server: ${error.message}`, logs)));
    });
    serverExited.catch(() => undefined);
    const listening = new Promise<void>((resolveListening) => {
      const onData = (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          if (line.trim()) log(`[server] ${line}`);
          if (/listening on|Server bound to/i.test(line)) resolveListening();
        }
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
    });

    const timeoutMs = options.timeoutMs ?? 5 * 60_000;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HarnessError(`timed out after ${Math.round(timeoutMs / 1000)} s`, logs)), timeoutMs);
    });
    timedOut.catch(() => undefined);

    const session = async (): Promise<number> => {
      await Promise.race([listening, serverExited]);
      const { chromium } = await import('playwright-core');
      // A browser server (rather than launch()) gives us the process to kill if closing hangs.
      browserServer = await chromium.launchServer({
        executablePath: prerequisites.chromium,
        headless: true,
        env,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      browser = await chromium.connect(browserServer.wsEndpoint());
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.on('console', (message) => {
        void Promise.all(message.args().map((a) => a.jsonValue().catch(() => String(a))))
          .then((values) => log(values.length > 0 ? formatConsole(values) : message.text()))
          .catch(() => log(message.text()));
      });
      page.on('pageerror', (error) => log(`[pageerror] ${error.message}`));
      const exitCode = new Promise<number>((resolveExit) => {
        void page.exposeFunction('codeAutomationExit', (code: number) => {
          log(`[harness] workbench exited with code ${code}`);
          resolveExit(Number(code));
        });
      });
      const url = workbenchUrl(port, options.workspace, options.extensionDevelopmentPath, options.extensionTestsPath);
      log(`[harness] open ${url}`);
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      if (options.drive) {
        try {
          await options.drive({ page, port, workspace: options.workspace, log });
        } catch (error) {
          const shot = join(tmpdir(), `brickguard-ui-failure-${process.pid}.png`);
          await page.screenshot({ path: shot }).catch(() => undefined);
          throw new HarnessError(`${(error as Error).message}\n(screenshot of the failure: ${shot})`, logs);
        }
        return 0;
      }
      return exitCode;
    };

    const exitCode = await Promise.race([session(), serverExited, timedOut]);
    return { exitCode, durationMs: Date.now() - started, logs };
  } finally {
    if (timer) clearTimeout(timer);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await Promise.race([browser?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    await Promise.race([browserServer?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    await browserServer?.kill().catch(() => undefined);
    killGroup(server, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    killGroup(server, 'SIGKILL');
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Reads a JSON file if it exists. */
export function readJsonIfExists<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}
