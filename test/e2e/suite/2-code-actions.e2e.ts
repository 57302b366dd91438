import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DIALECTS, NO_PUBLIC_IP, PREMIUM, PUBLIC_ACCESS, freshCopy, requireDialect } from './dialects';
import { brickguard, codeActionsAt, codeOf, hasCode, lacksCode, rules, waitForFindings, withSetting } from './helpers';


describe('Quick fixes, fix-all and hover', () => {
  before(async () => {
    await brickguard();
  });

  for (const c of DIALECTS) {
    it(`${c.dialect}: the preferred quick fix removes the finding`, async function () {
      requireDialect(this, c);
      const uri = await freshCopy(c, 'quickfix');
      await vscode.window.showTextDocument(uri);
      const before = await waitForFindings(uri, hasCode(NO_PUBLIC_IP), NO_PUBLIC_IP);
      const finding = before.find((d) => codeOf(d) === NO_PUBLIC_IP)!;
      const actions = await codeActionsAt(uri, finding.range, (as) => as.some((a) => a.isPreferred));
      // vscode.executeCodeActionProvider does not carry the actions' diagnostics back; the range
      // and the titles identify the finding's actions.
      const forFinding = actions.filter(
        (a) => a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind) && (a.diagnostics ?? [finding]).some((d) => codeOf(d) === NO_PUBLIC_IP),
      );
      const preferred = forFinding.filter((a) => a.isPreferred);
      assert.equal(preferred.length, 1, `one preferred fix; got ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(preferred[0].kind && vscode.CodeActionKind.QuickFix.contains(preferred[0].kind));
      const suppress = forFinding.find((a) => !a.isPreferred && JSON.stringify(a.edit?.entries() ?? []).includes('brickguard-disable-next-line'));
      assert.ok(suppress, `a suppress action; got ${forFinding.map((a) => a.title).join(' | ')}`);
      assert.ok(preferred[0].edit, 'the preferred fix carries an edit');
      assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
      const after = await waitForFindings(uri, lacksCode(NO_PUBLIC_IP), `${NO_PUBLIC_IP} to go after the fix`);
      // The fix touched nothing else: the other findings are still there.
      assert.ok(hasCode(PREMIUM)(after) && hasCode(PUBLIC_ACCESS)(after), 'other findings stay');
    });

    it(`${c.dialect}: source.fixAll.brickguard runs from editor.codeActionsOnSave`, async function () {
      requireDialect(this, c);
      const restore = await withSetting('editor', 'codeActionsOnSave', { 'source.fixAll.brickguard': 'explicit' });
      try {
        const uri = await freshCopy(c, 'onsave');
        const editor = await vscode.window.showTextDocument(uri);
        await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
        // A real edit, so that saving is not a no-op.
        const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
        await editor.edit((b) => b.insert(end, '\n'));
        await vscode.commands.executeCommand('workbench.action.files.save');
        const saved = await waitForFindings(uri, (ds) => [NO_PUBLIC_IP, PREMIUM].every((code) => lacksCode(code)(ds)), 'the fixable findings to go on save');
        // Public access stays on: turning it off is not preferred on a workspace without VNet injection and an endpoint.
        assert.ok(hasCode(PUBLIC_ACCESS)(saved), 'public access is not turned off on save');
        assert.equal(editor.document.isDirty, false);
        const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        assert.match(onDisk, /premium/);
        assert.doesNotMatch(onDisk, /standard/);
      } finally {
        await restore();
      }
    });

    it(`${c.dialect}: hover over a finding explains the rule`, async function () {
      requireDialect(this, c);
      const uri = await freshCopy(c, 'hover');
      await vscode.window.showTextDocument(uri);
      const found = await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
      const finding = found.find((d) => codeOf(d) === PREMIUM)!;
      const rule = (await rules()).find((r) => r.id === PREMIUM)!;
      const inside = finding.range.start.translate(0, finding.range.isSingleLine ? Math.floor((finding.range.end.character - finding.range.start.character) / 2) : 0);
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, inside)) ?? [];
      const text = hovers
        .flatMap((h) => h.contents)
        .map((m) => (typeof m === 'string' ? m : m.value))
        .join('\n');
      assert.ok(text.includes(rule.title), `hover names the rule "${rule.title}"; got:\n${text}`);
      assert.match(text, /premium/i, 'hover shows the secure setting');
      assert.match(text, /learn\.microsoft\.com/, 'hover links to guidance');
    });
  }

  it('Brickguard: Fix All in File applies every preferred fix', async function () {
    const c = DIALECTS[0];
    requireDialect(this, c);
    const uri = await freshCopy(c, 'fixall');
    await vscode.window.showTextDocument(uri);
    await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
    const applied = await vscode.commands.executeCommand<number>('brickguard.fixAllInFile');
    assert.ok(applied >= 1, 'the command applied the fix-all edit');
    await waitForFindings(uri, (ds) => [PUBLIC_ACCESS, NO_PUBLIC_IP, PREMIUM].every((code) => lacksCode(code)(ds)), 'the fixable findings to go');
    const again = await vscode.commands.executeCommand<number>('brickguard.fixAllInFile');
    assert.equal(again, 0, 'a second fix-all changes nothing');
  });
});
