// The makers' tools as test oracles, installed by `npm run oracles:setup` into .oracles/ (README,
// "Tests"): the Bicep CLI and the Terraform provider schemas. Tests that need one skip with the
// reason when it is missing; BRICKGUARD_ORACLES=required turns that skip into a failure.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { repoRoot } from './corpus';

export const oraclesRoot = process.env.BRICKGUARD_ORACLES_DIR ?? join(repoRoot, '.oracles');
export const oraclesRequired = process.env.BRICKGUARD_ORACLES === 'required';

/** Skips the test (or fails it under BRICKGUARD_ORACLES=required) and returns false when `reason` is set. */
export function oracleAvailable(t: TestContext, reason: string | undefined): boolean {
  if (reason === undefined) return true;
  const message = `${reason}; run \`npm run oracles:setup\``;
  if (oraclesRequired) assert.fail(`${message} (BRICKGUARD_ORACLES=required)`);
  t.skip(message);
  return false;
}

export const bicepPath = join(oraclesRoot, 'bicep', 'bicep');

/** Why the Bicep CLI cannot be used, or undefined when it can. */
export function bicepMissing(): string | undefined {
  if (!existsSync(bicepPath)) return `Bicep CLI not found at ${bicepPath}`;
  const r = spawnSync(bicepPath, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return `Bicep CLI at ${bicepPath} does not run: ${r.error?.message ?? r.stderr}`;
  return undefined;
}

export interface BicepDiagnostic {
  source: string;
  range: { start: { line: number; char: number }; end: { line: number; char: number } };
  level: 'Error' | 'Warning' | 'Info' | 'Off' | string;
  code: string;
  message: string;
}

export interface BicepCompileResult {
  success: boolean;
  diagnostics: BicepDiagnostic[];
  contents: string | null;
}

/**
 * One `bicep jsonrpc --stdio` process for many files (a process per file costs about a second).
 * Requests go one at a time; the CLI reads each file from disk.
 */
export class BicepRpc {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';

  constructor() {
    this.proc = spawn(bicepPath, ['jsonrpc', '--stdio'], { stdio: 'pipe', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.proc.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`bicep jsonrpc exited with ${code}: ${this.stderr}`));
      this.pending.clear();
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      const msg = JSON.parse(body) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p || msg.id === undefined) continue;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    }
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method, params }), 'utf8');
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      this.proc.stdin.write(body);
    });
  }

  version(): Promise<string> {
    return this.request<{ version: string }>('bicep/version', {}).then((r) => r.version);
  }

  /** Compiles the .bicep file at `path` (absolute). */
  compile(path: string): Promise<BicepCompileResult> {
    return this.request<BicepCompileResult>('bicep/compile', { path });
  }

  close(): void {
    this.proc.stdin.end();
    this.proc.kill();
  }
}

/**
 * Errors, and warnings with a BCP code (the compiler's own, not the linter's), as `CODE message`
 * with the message cut after its first sentence (later ones list the properties still permitted,
 * which changes whenever a fix adds one).
 */
export function compilerProblems(diagnostics: readonly BicepDiagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.level === 'Error' || (d.level === 'Warning' && /^BCP\d+$/.test(d.code)))
    .map((d) => `${d.code} ${d.message.replace(/\.\s.*$/s, '.')}`);
}

/** Problems in `after` that `before` does not have (as a multiset; positions ignored). */
export function newProblems(before: readonly string[], after: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const p of before) left.set(p, (left.get(p) ?? 0) + 1);
  const out: string[] = [];
  for (const p of after) {
    const n = left.get(p) ?? 0;
    if (n > 0) left.set(p, n - 1);
    else out.push(p);
  }
  return out;
}

/** A Terraform provider's schema as reduced by scripts/oracles-tf-schema.mjs. */
export interface TfBlockSchema {
  attributes: string[];
  blocks: Record<string, TfBlockSchema>;
  computed?: string[];
}
export interface TfProviderSchema {
  package: string;
  provider: string;
  providerVersion: string;
  /** The provider block (`provider "azurerm" { … }`). */
  providerBlock: TfBlockSchema;
  resources: Record<string, TfBlockSchema>;
  dataSources: Record<string, TfBlockSchema>;
}

/** The schema of `name` (azurerm 4.x, azurerm3, databricks), or a reason it is missing. */
/** The azurerm releases on both sides of the versions fixes are gated on (scripts/oracles-setup.sh). */
export const AZURERM_BOUNDARY_SCHEMAS = ['azurerm-3.40.0', 'azurerm-3.41.0', 'azurerm-3.70.0', 'azurerm-3.71.0'] as const;

export function tfSchema(name: 'azurerm' | 'azurerm3' | 'databricks' | (typeof AZURERM_BOUNDARY_SCHEMAS)[number]): TfProviderSchema | string {
  const file = join(oraclesRoot, 'terraform', `${name}.json`);
  if (!existsSync(file)) return `Terraform provider schema not found at ${file}`;
  return JSON.parse(readFileSync(file, 'utf8')) as TfProviderSchema;
}

/**
 * Whether `file` can compile offline: neither it nor a local module or import it reaches refers to a
 * registry (`br:`, `br/`, `ts:`, `ts/`). Restoring those needs the network, and the CLI spends tens
 * of seconds retrying before it gives up.
 */
export function compilesOffline(file: string, seen = new Map<string, boolean>()): boolean {
  const known = seen.get(file);
  if (known !== undefined) return known;
  seen.set(file, true);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return true;
  }
  let ok = true;
  for (const m of text.matchAll(/(?:\bmodule\s+\w+\s+|\bfrom\s+|\bextends\s+|\busing\s+)'([^'$]*)'/g)) {
    const ref = m[1];
    if (/^(br|ts)[:/]/.test(ref)) ok = false;
    else if (/\.(bicep|bicepparam)$/.test(ref) && !compilesOffline(join(dirname(file), ref), seen)) ok = false;
    if (!ok) break;
  }
  seen.set(file, ok);
  return ok;
}
