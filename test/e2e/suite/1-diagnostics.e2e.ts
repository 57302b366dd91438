import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DIALECTS, NO_PUBLIC_IP, PREMIUM, PUBLIC_ACCESS, freshCopy, requireDialect } from './dialects';
import { brickguard, codeOf, hasCode, lacksCode, waitForFindings } from './helpers';

describe('Diagnostics', () => {
  before(async () => {
    await brickguard();
  });

  for (const c of DIALECTS) {
    it(`${c.dialect}: reports findings when the file opens`, async function () {
      requireDialect(this, c);
      const uri = await freshCopy(c, 'open');
      await vscode.window.showTextDocument(uri);
      const found = await waitForFindings(uri, (ds) => [PUBLIC_ACCESS, NO_PUBLIC_IP, PREMIUM].every((code) => hasCode(code)(ds)), 'the three workspace findings');
      const document = await vscode.workspace.openTextDocument(uri);
      for (const d of found) {
        assert.equal(d.source, 'brickguard');
        assert.ok(d.range.end.line < document.lineCount, `range inside the file: ${codeOf(d)}`);
      }
      const publicAccess = found.find((d) => codeOf(d) === PUBLIC_ACCESS)!;
      assert.equal(publicAccess.severity, vscode.DiagnosticSeverity.Warning);
      const href = typeof publicAccess.code === 'object' ? publicAccess.code.target.toString() : '';
      assert.match(href, /^https:\/\/learn\.microsoft\.com\//, 'the code links to the guidance');
      // The range covers the offending value.
      assert.match(document.getText(publicAccess.range), /Enabled|true/);
      const premium = found.find((d) => codeOf(d) === PREMIUM)!;
      assert.match(document.getText(premium.range), /standard/);
    });

    it(`${c.dialect}: updates findings after edits`, async function () {
      requireDialect(this, c);
      const uri = await freshCopy(c, 'edit');
      const editor = await vscode.window.showTextDocument(uri);
      await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
      const text = editor.document.getText();
      const at = text.indexOf(c.standard);
      assert.ok(at >= 0);
      const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + c.standard.length));
      assert.ok(await editor.edit((b) => b.replace(range, c.premium)));
      await waitForFindings(uri, lacksCode(PREMIUM), `${PREMIUM} to go after the edit`);
      await waitForFindings(uri, hasCode(PUBLIC_ACCESS), `${PUBLIC_ACCESS} to stay`);
      await vscode.commands.executeCommand('undo');
      await waitForFindings(uri, hasCode(PREMIUM), `${PREMIUM} to come back after undo`);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  }
});
