import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DIALECTS, PREMIUM, PUBLIC_ACCESS, requireDialect } from './dialects';
import { brickguard, codeOf, findings, fixtureUri, hasCode, open, rules, sleep, waitForFindings, writeFile } from './helpers';

interface ScanResult {
  files: number;
  findings: number;
  cancelled: boolean;
}

describe('Commands and status bar', () => {
  const arm = DIALECTS[0];
  before(async () => {
    await brickguard();
  });

  it('every command is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['brickguard.scanWorkspace', 'brickguard.fixAllInFile', 'brickguard.showRuleCatalogue', 'brickguard.showOutput']) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('Brickguard: Scan Workspace analyses unopened files and honours files.exclude and brickguard.json excludes', async function () {
    requireDialect(this, arm);
    const unopened = fixtureUri('scan/unopened.json');
    assert.equal(
      vscode.workspace.textDocuments.some((d) => d.uri.toString() === unopened.toString()),
      false,
      'the file is not open before the scan',
    );
    const result = await vscode.commands.executeCommand<ScanResult>('brickguard.scanWorkspace');
    assert.equal(result.cancelled, false);
    assert.ok(result.files >= 3, `scanned at least the fixtures; got ${JSON.stringify(result)}`);
    assert.ok(result.findings >= 3, `reported findings; got ${JSON.stringify(result)}`);
    await waitForFindings(unopened, hasCode(PUBLIC_ACCESS), 'findings for a file that was never opened');
    await sleep(1000);
    assert.deepEqual(findings(fixtureUri('scan/ignored-by-files-exclude/skip.json')).map(codeOf), [], 'files.exclude is honoured');
    assert.deepEqual(findings(fixtureUri('scan/excluded-by-config/skip.json')).map(codeOf), [], 'brickguard.json exclude is honoured');
  });

  it('Brickguard: Scan Workspace can be cancelled between batches', async function () {
    requireDialect(this, arm);
    // Enough files for several batches of 50, so the cancellation lands between two of them.
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(arm.fixture)));
    const bulk: vscode.Uri[] = [];
    for (let i = 0; i < 200; i++) bulk.push(await writeFile(`bulk/t${i}.json`, text));
    const source = new vscode.CancellationTokenSource();
    // Cancel as soon as the first batch has been published (files come in no particular order).
    const watch = vscode.languages.onDidChangeDiagnostics(() => source.cancel());
    try {
      const result = await vscode.commands.executeCommand<ScanResult>('brickguard.scanWorkspace', { cancellation: source.token });
      assert.equal(result.cancelled, true, JSON.stringify(result));
      assert.ok(result.files < 200 + 4, `the scan stopped early: ${JSON.stringify(result)}`);
      await sleep(500);
      const analysed = bulk.filter((u) => findings(u).length > 0).length;
      assert.ok(analysed < 200, `not every bulk file was analysed (${analysed})`);
    } finally {
      watch.dispose();
      await vscode.workspace.fs.delete(fixtureUri('bulk'), { recursive: true });
    }
  });

  it('Brickguard: Show Rule Catalogue lists every rule with its findings in this workspace', async function () {
    requireDialect(this, arm);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('brickguard.showRuleCatalogue');
    assert.ok(uri, 'the command returns the page it shows');
    const document = await vscode.workspace.openTextDocument(uri);
    const text = document.getText();
    const catalogue = await rules();
    assert.ok(catalogue.length >= 3);
    for (const rule of catalogue) {
      const row = text.split('\n').find((line) => line.includes(`>${rule.id}</code>`));
      assert.ok(row, `a row for ${rule.id}`);
      assert.ok(row.includes('white-space: nowrap'), `${rule.id} does not wrap at its hyphens`);
      assert.ok(row.includes(rule.severity), `${rule.id} shows its severity`);
      const names: Record<string, string> = { arm: 'ARM', bicep: 'Bicep', terraform: 'Terraform' };
      assert.ok(row.includes(rule.dialects.map((d) => names[d] ?? d).join(', ')), `${rule.id} shows its dialects by name`);
      assert.ok(row.includes(rule.fixable ? '| yes |' : '| no |'), `${rule.id} shows whether a fix exists`);
    }
    const premiumRow = text.split('\n').find((line) => line.includes(`>${PREMIUM}</code>`))!;
    const count = Number(premiumRow.split('|').at(-2)!.trim());
    const expected = vscode.languages
      .getDiagnostics()
      .flatMap(([, ds]) => ds)
      .filter((d) => d.source === 'brickguard' && codeOf(d) === PREMIUM).length;
    assert.ok(count >= 1, 'the workspace has Standard-tier workspaces');
    assert.equal(count, expected, 'the count matches the Problems panel');
    // The page is read-only (a virtual document) and shown as a Markdown preview.
    assert.equal(uri.scheme, 'brickguard-catalogue');
    const previewOpen = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .some((t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType));
    assert.ok(previewOpen, 'a Markdown preview tab is open');
  });

  it('Brickguard: Show Output reveals the output channel', async () => {
    const shown = await vscode.commands.executeCommand<boolean>('brickguard.showOutput');
    assert.equal(shown, true);
    // The Output panel shows the channel as a text editor with the `output` scheme.
    const deadline = Date.now() + 10_000;
    const outputEditor = () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'output' && /Brickguard/i.test(e.document.uri.toString()));
    while (!outputEditor() && Date.now() < deadline) await sleep(200);
    assert.ok(
      outputEditor(),
      `the Brickguard channel is visible; editors: ${vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', ')}`,
    );
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('the status bar shows the finding count of the active supported file, and hides otherwise', async function () {
    requireDialect(this, arm);
    const api = await brickguard();
    const editor = await open(arm.fixture);
    const list = await waitForFindings(editor.document.uri, hasCode(PREMIUM), PREMIUM);
    await sleep(300);
    let state = api.statusBar();
    assert.equal(state.visible, true);
    assert.equal(state.findings, findings(editor.document.uri).length);
    assert.equal(state.text, `$(shield) Brickguard ${list.length}`);
    const n = list.length;
    assert.ok(state.tooltip.startsWith(`Brickguard: ${n} finding${n === 1 ? '' : 's'} in this file (`), state.tooltip);
    assert.doesNotMatch(state.tooltip, /\b1 (errors|warnings)\b|\b(0|[2-9]\d*) (error|warning)\b[^s]/, `pluralised: ${state.tooltip}`);
    const plain = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'not infrastructure' });
    await vscode.window.showTextDocument(plain);
    await sleep(300);
    state = api.statusBar();
    assert.equal(state.visible, false, 'hidden for a plain text file');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
