// The three fixtures the per-dialect tests share, and the skip guard for dialects whose front end
// has not landed in the server yet.
import * as vscode from 'vscode';
import { dialectUnavailable, fixtureUri, skipBecause, writeFile } from './helpers';

export interface DialectCase {
  dialect: 'arm' | 'bicep' | 'terraform';
  /** The fixture with findings for public network access, no public IP and the Standard tier. */
  fixture: string;
  extension: string;
  /** The text of the Standard tier and what makes it Premium. */
  standard: string;
  premium: string;
}

export const DIALECTS: DialectCase[] = [
  { dialect: 'arm', fixture: 'arm/databricks.json', extension: 'json', standard: '"standard"', premium: '"premium"' },
  { dialect: 'bicep', fixture: 'bicep/main.bicep', extension: 'bicep', standard: "'standard'", premium: "'premium'" },
  { dialect: 'terraform', fixture: 'terraform/main.tf', extension: 'tf', standard: '"standard"', premium: '"premium"' },
];

export const PUBLIC_ACCESS = 'databricks-public-network-access';
export const NO_PUBLIC_IP = 'databricks-no-public-ip';
export const PREMIUM = 'databricks-premium-sku';

/** Skips the current test (with the reason) when this build does not analyse the dialect. */
export function requireDialect(ctx: Mocha.Context, c: DialectCase): void {
  const reason = dialectUnavailable(c.dialect, c.fixture, PUBLIC_ACCESS);
  if (reason) skipBecause(ctx, reason);
}

let copies = 0;

/** A fresh copy of the dialect's fixture (Terraform: in a folder of its own, as one module). */
export async function freshCopy(c: DialectCase, name: string): Promise<vscode.Uri> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(c.fixture)));
  copies++;
  const path = c.dialect === 'terraform' ? `work/${name}-${copies}/main.tf` : `work/${name}-${copies}.${c.extension}`;
  return writeFile(path, text);
}
