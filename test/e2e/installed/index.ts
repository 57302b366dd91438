// extensionTestsPath for the packaged-extension check: runs in a code-server whose extensions folder
// holds only the .vsix built by `npm run package` (no development path), and asserts that the
// installed extension activates, starts its bundled server and reports findings.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, brickguard, codeActionsAt, codeOf, hasCode, open, rules, waitForFindings } from '../suite/helpers';

export async function run(): Promise<void> {
  const passed: string[] = [];
  const failed: { title: string; error: string }[] = [];
  const check = async (title: string, body: () => Promise<void>) => {
    try {
      await body();
      passed.push(title);
      console.log(`[brickguard-e2e] ✔ ${title}`);
    } catch (error) {
      failed.push({ title, error: (error as Error).stack ?? String(error) });
      console.log(`[brickguard-e2e] ✘ ${title}: ${(error as Error).message}`);
    }
  };
  const started = Date.now();
  await check('the packaged extension is installed (not a development copy)', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.match(extension.extensionPath, /[\\/]extensions[\\/]brickguard\.brickguard-\d+\.\d+\.\d+/);
  });
  await check('it activates and its bundled language server starts', async () => {
    await brickguard();
    assert.ok((await rules()).length >= 3);
  });
  await check('it reports findings with quick fixes in an ARM template', async () => {
    const editor = await open('arm/databricks.json');
    const found = await waitForFindings(editor.document.uri, hasCode('databricks-premium-sku'), 'a finding');
    const finding = found.find((d) => codeOf(d) === 'databricks-premium-sku')!;
    const actions = await codeActionsAt(editor.document.uri, finding.range, (as) => as.some((a) => a.isPreferred));
    assert.ok(
      actions.some((a) => a.isPreferred),
      `a preferred quick fix; got ${actions.map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`).join(' | ')}`,
    );
  });
  await check('its commands and snippets are contributed', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['brickguard.scanWorkspace', 'brickguard.fixAllInFile', 'brickguard.showRuleCatalogue', 'brickguard.showOutput']) {
      assert.ok(commands.includes(id), id);
    }
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    for (const s of extension.packageJSON.contributes.snippets as { path: string }[]) {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, s.path));
    }
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, 'schemas', 'brickguard.schema.json'));
  });
  const report = { passed, failed, pending: [], durationMs: Date.now() - started };
  if (process.env.BRICKGUARD_E2E_REPORT) writeFileSync(process.env.BRICKGUARD_E2E_REPORT, JSON.stringify(report, null, 2));
  if (failed.length > 0) throw new Error(`${failed.length} packaged-extension check(s) failed`);
}
