import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DIALECTS, requireDialect } from './dialects';
import { EXTENSION_ID, brickguard, cliScan, describeFindings, findings, settle, writeFile } from './helpers';

const CASES = [
  { dialect: DIALECTS[0], snippets: 'snippets/arm.json', language: 'json', file: 'snippet-out/secure.json' },
  { dialect: DIALECTS[1], snippets: 'snippets/bicep.json', language: 'bicep', file: 'snippet-out/secure.bicep' },
  { dialect: DIALECTS[2], snippets: 'snippets/terraform.json', language: 'terraform', file: 'snippet-out/terraform/main.tf' },
];

describe('Snippets', () => {
  before(async () => {
    await brickguard();
  });

  for (const c of CASES) {
    it(`${c.dialect.dialect}: the secure workspace snippet, with its defaults, parses and has no findings`, async function () {
      requireDialect(this, c.dialect);
      const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
      const contributed = (extension.packageJSON.contributes.snippets as { language: string; path: string }[]).find(
        (s) => s.language === c.language,
      );
      assert.ok(contributed, `package.json contributes snippets for ${c.language}`);
      assert.equal(contributed.path, `./${c.snippets}`);
      const snippetFile = JSON.parse(
        new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, c.snippets))),
      ) as Record<string, { prefix: string[]; body: string[] }>;
      const [name, snippet] = Object.entries(snippetFile)[0];
      assert.ok(snippet.prefix.includes('databricks-secure-workspace'));

      const uri = await writeFile(c.file, '');
      const editor = await vscode.window.showTextDocument(uri);
      assert.equal(editor.document.languageId, c.language, 'the file opens with the contributed language');
      // Insert it the way the snippet picker does: by language and name, from the contribution.
      await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: c.language, name });
      await vscode.commands.executeCommand('leaveSnippet');
      const text = editor.document.getText();
      assert.ok(text.length > 1000, `the snippet was inserted (${text.length} characters)`);
      assert.doesNotMatch(text, /\$\{\d|\$0/, 'every placeholder is filled with its default');
      // Under load a save participant can time out and veto the first save; a second one must succeed.
      if (!(await editor.document.save())) assert.ok(await editor.document.save(), `the file saves (dirty: ${editor.document.isDirty})`);

      await settle(uri, 2000);
      assert.deepEqual(findings(uri), [], `Brickguard reports nothing in the editor:\n${describeFindings(uri)}`);
      const scan = cliScan(c.file);
      assert.equal(scan.files.length, 1);
      assert.equal(scan.files[0].dialect, c.dialect.dialect);
      assert.deepEqual(scan.files[0].syntaxErrors, [], 'the file parses');
      assert.deepEqual(scan.findings.map((f) => `${f.ruleId}: ${f.message}`), [], 'the CLI reports nothing either');
    });
  }
});
