import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DIALECTS, PREMIUM, PUBLIC_ACCESS, freshCopy, requireDialect, type DialectCase } from './dialects';
import { EXTENSION_ID, brickguard, codeActionsAt, codeOf, findings, hasCode, lacksCode, settle, waitForFindings, writeFile } from './helpers';

/** The fixture made secure for the three rules it fails (tier, public access, no public IP). */
function secure(c: DialectCase, text: string): string {
  switch (c.dialect) {
    case 'arm':
      return text
        .replace('"standard"', '"premium"')
        .replace('"publicNetworkAccess": "Enabled"', '"publicNetworkAccess": "Disabled",\n        "requiredNsgRules": "NoAzureDatabricksRules"')
        .replace('"value": false', '"value": true');
    case 'bicep':
      return text
        .replace("'standard'", "'premium'")
        .replace("publicNetworkAccess: 'Enabled'", "publicNetworkAccess: 'Disabled'\n    requiredNsgRules: 'NoAzureDatabricksRules'")
        .replace('value: false', 'value: true');
    case 'terraform':
      return text
        .replace('"standard"', '"premium"')
        .replace(
          'public_network_access_enabled = true',
          'public_network_access_enabled = false\n  network_security_group_rules_required = "NoAzureDatabricksRules"',
        )
        .replace('no_public_ip = false', 'no_public_ip = true');
  }
}

/** Where the workspace's symbolic name is (ARM: its name value). */
function symbolicName(c: DialectCase, document: vscode.TextDocument): vscode.Position {
  const text = document.getText();
  const needle = { arm: '"dbw-e2e"', bicep: 'resource workspace', terraform: '"this"' }[c.dialect];
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} in the fixture`);
  return document.positionAt(at + (c.dialect === 'bicep' ? 'resource '.length + 2 : 2));
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((m) => (typeof m === 'string' ? m : m.value))
    .join('\n\n');
}

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? []);
}

/** Code spans of a markdown text (fenced blocks removed first), with their content. */
function codeSpans(md: string): string[] {
  const withoutBlocks = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
  return [...withoutBlocks.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]);
}

function assertNoEscapesInCode(md: string): void {
  for (const span of codeSpans(md)) assert.doesNotMatch(span, /\\[!-/:-@[-`{-~]/, `a backslash before punctuation inside the code span \`${span}\` of:\n${md}`);
}

async function postureLens(uri: vscode.Uri): Promise<vscode.CodeLens> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const lens = lenses.find((l) => l.command?.title.startsWith('Brickguard:'));
    if (lens || Date.now() > deadline) {
      assert.ok(lens?.command, `a Brickguard code lens; got ${lenses.map((l) => l.command?.title).join(' | ')}`);
      return lens;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** "5 of 9 checks pass" from the lens, checked against the hover's list. */
function counts(title: string, hover: string): { passed: number; total: number } {
  const m = /^Brickguard: (\d+) of (\d+) checks? pass/.exec(title);
  assert.ok(m, `lens title "${title}"`);
  const passed = Number(m[1]);
  const total = Number(m[2]);
  const listed = hover.split('\n').filter((l) => /^- (✓|✗|\?)/.test(l));
  assert.equal(listed.filter((l) => l.startsWith('- ✓')).length, passed, `the lens and the hover agree on what passes:\n${hover}`);
  assert.equal(listed.length, total, `the lens counts every applicable rule:\n${hover}`);
  return { passed, total };
}

describe('Posture and hovers', () => {
  before(async () => {
    await brickguard();
  });

  for (const c of DIALECTS) {
    it(`${c.dialect}: a failing workspace — the lens and the hover over its symbolic name say what fails`, async function () {
      requireDialect(this, c);
      const uri = await freshCopy(c, 'posture-failing');
      const editor = await vscode.window.showTextDocument(uri);
      await waitForFindings(uri, hasCode(PUBLIC_ACCESS), PUBLIC_ACCESS);
      const hover = await hoverAt(uri, symbolicName(c, editor.document));
      assert.match(hover, /\*\*Brickguard posture of `[^`]+`\*\*: \d+ of \d+ checks pass/, hover);
      assert.match(hover, /- ✗ \[Databricks workspace allows public network access\]/);
      assert.match(hover, /- ✗ \[Databricks workspace is not on the Premium tier\]/);
      assert.match(hover, /- ✗ \[Cluster nodes get public IP addresses\]/);
      assert.match(hover, /- – Not applicable \(public network access is on\): Cluster traffic uses back-end Private Link/);
      assert.doesNotMatch(hover, /✓[^\n]*(allows public network access|not on the Premium tier|get public IP)/, 'no problem title reads as passed');
      assertNoEscapesInCode(hover);
      const lens = await postureLens(uri);
      const { passed, total } = counts(lens.command!.title, hover);
      assert.ok(passed < total, lens.command!.title);
      // The lens opens the posture: it moves the cursor to the workspace and shows the hover.
      const shown = await vscode.commands.executeCommand<boolean>(lens.command!.command, ...(lens.command!.arguments ?? []));
      assert.equal(shown, true);
      const cursor = vscode.window.activeTextEditor!.selection.active;
      assert.ok(lens.range.start.line <= cursor.line);
      assert.match((await hoverAt(uri, cursor)).trim(), /^\*\*Brickguard posture of/, 'the hover at the cursor is the posture, not a finding');
    });

    it(`${c.dialect}: a passing workspace — the posture says what is right`, async function () {
      requireDialect(this, c);
      const failing = await freshCopy(c, 'posture-passing');
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(failing));
      const uri = await writeFile(vscode.workspace.asRelativePath(failing, false), secure(c, text));
      const editor = await vscode.window.showTextDocument(uri);
      await settle(uri);
      await waitForFindings(uri, (ds) => lacksCode(PUBLIC_ACCESS)(ds) && lacksCode(PREMIUM)(ds), 'the secure workspace has none of the three findings');
      const hover = await hoverAt(uri, symbolicName(c, editor.document));
      assert.match(hover, /- ✓ Public network access is off/, hover);
      assert.match(hover, /- ✓ Workspace is on the Premium tier/);
      assert.match(hover, /- ✓ Cluster nodes have no public IP/);
      assert.match(hover, /- ✓ Cluster traffic uses back-end Private Link/);
      assertNoEscapesInCode(hover);
      const lens = await postureLens(uri);
      const { passed } = counts(lens.command!.title, hover);
      assert.ok(passed >= 4, lens.command!.title);
    });

    it(`${c.dialect}: finding hovers are compact and code spans are not escaped`, async function () {
      requireDialect(this, c);
      const uri = await freshCopy(c, 'hover-compact');
      await vscode.window.showTextDocument(uri);
      const list = await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
      for (const d of list) {
        const hover = await hoverAt(uri, d.range.start.translate(0, d.range.isSingleLine ? 1 : 0));
        // Several findings can share a range (absent properties sit on the resource head): take this one's section.
        const sections = hover.split('\n\n---\n\n').map((s) => s.trim());
        const first = sections.find((s) => s.includes(`/docs/rules/${codeOf(d)}.md)`)) ?? sections[0];
        const prose = first.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').split('\n').filter((l) => l.trim() !== '');
        assert.ok(prose.length <= 3, `what and why, the secure setting's label and the links, no more, for ${codeOf(d)}:\n${first}`);
        const page = join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'docs', 'rules', `${codeOf(d)}.md`);
        if (existsSync(page)) assert.ok(first.includes(`(${vscode.Uri.file(page).toString()})`), `a link to ${page}:\n${first}`);
        assert.match(first, /Secure setting in (ARM|Bicep|Terraform):/, `${codeOf(d)} shows the secure setting`);
        assert.match(first, /\[Guidance\]\(https:\/\/learn\.microsoft\.com\//, `${codeOf(d)} links to guidance`);
        assertNoEscapesInCode(hover);
      }
    });
  }

  it("arm: a name expression shows as written in the posture (no escapes in code spans)", async function () {
    const c = DIALECTS[0];
    requireDialect(this, c);
    const failing = await freshCopy(c, 'posture-expression');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(failing))
      .replace('"parameters": {', '"parameters": {\n    "workspaceName": { "type": "string", "defaultValue": "dbw-e2e" },')
      .replace('"name": "dbw-e2e"', `"name": "[parameters('workspaceName')]"`);
    const uri = await writeFile(vscode.workspace.asRelativePath(failing, false), text);
    const editor = await vscode.window.showTextDocument(uri);
    await settle(uri);
    await waitForFindings(uri, hasCode(PUBLIC_ACCESS), PUBLIC_ACCESS);
    const hover = await hoverAt(uri, editor.document.positionAt(text.indexOf('"Microsoft.Databricks/workspaces"') + 3));
    assert.ok(hover.includes("**Brickguard posture of `[parameters('workspaceName')]`**"), hover);
    assertNoEscapesInCode(hover);
  });

  it('the Ctrl+. menu offers "Fix all Brickguard problems in this file"', async function () {
    const c = DIALECTS[1];
    requireDialect(this, c);
    const uri = await freshCopy(c, 'menu');
    await vscode.window.showTextDocument(uri);
    const list = await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
    const finding = list.find((d) => codeOf(d) === PREMIUM)!;
    const actions = await codeActionsAt(uri, finding.range, (as) => as.some((a) => a.title === 'Fix all Brickguard problems in this file'));
    const fixAll = actions.find((a) => a.title === 'Fix all Brickguard problems in this file');
    assert.ok(fixAll?.edit, actions.map((a) => a.title).join(' | '));
    assert.ok(fixAll.kind && vscode.CodeActionKind.QuickFix.contains(fixAll.kind), 'listed with the quick fixes');
  });

  it('terraform: a fix that edits terraform.tfvars says so and shows it; Fix All in File reports it', async function () {
    const c = DIALECTS[2];
    requireDialect(this, c);
    const main = await writeFile(
      'work/tfvars-fix/main.tf',
      'variable "sku" {\n  type    = string\n  default = "premium"\n}\n\nresource "azurerm_databricks_workspace" "this" {\n  name                = "dbw"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = var.sku\n}\n',
    );
    const tfvars = await writeFile('work/tfvars-fix/terraform.tfvars', 'sku = "standard"\n');
    await vscode.window.showTextDocument(main);
    const list = await waitForFindings(main, hasCode(PREMIUM), PREMIUM);
    const finding = list.find((d) => codeOf(d) === PREMIUM)!;
    const actions = await codeActionsAt(main, finding.range, (as) => as.some((a) => a.isPreferred));
    const fix = actions.find((a) => a.isPreferred)!;
    assert.match(fix.title, /terraform\.tfvars/, 'the title names the file it edits');
    assert.match(fix.title, /"premium"/, 'HCL strings in double quotes');
    assert.equal(fix.command?.command, 'brickguard.showEditedFiles', 'the fix shows the other file once applied');
    // Fix All in File: applies the same edit and reports the other file.
    const report = await vscode.commands.executeCommand<{ applied: number; otherFiles: string[]; message: string }>('brickguard.fixAllInFileReport');
    assert.equal(report.applied, 1, report.message);
    assert.deepEqual(report.otherFiles, [tfvars.toString()]);
    assert.match(report.message, /^Brickguard fixed \d+ problems? in .*main\.tf; also edited .*terraform\.tfvars\./);
    const shown = await vscode.commands.executeCommand<string[]>(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.deepEqual(shown, [tfvars.toString()]);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === tfvars.toString()), 'terraform.tfvars is shown');
    await waitForFindings(main, lacksCode(PREMIUM), `${PREMIUM} to go once terraform.tfvars says premium`);
    assert.equal(findings(main).filter((d) => codeOf(d) === PREMIUM).length, 0);
  });
});
