import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DIALECTS, PREMIUM, PUBLIC_ACCESS, freshCopy, requireDialect } from './dialects';
import { brickguard, codeOf, findings, hasCode, lacksCode, waitForFindings, withSetting, writeFile } from './helpers';

describe('Configuration', () => {
  const arm = DIALECTS[0];
  before(async () => {
    await brickguard();
  });

  it('brickguard.rules severity changes apply without reload (off, error, back)', async function () {
    requireDialect(this, arm);
    const uri = await freshCopy(arm, 'settings');
    await vscode.window.showTextDocument(uri);
    await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
    const restore = await withSetting('brickguard', 'rules', { [PREMIUM]: 'off' });
    try {
      await waitForFindings(uri, lacksCode(PREMIUM), `${PREMIUM} to go when set to off`);
      assert.ok(hasCode(PUBLIC_ACCESS)(findings(uri)), 'other rules still report');
      await vscode.workspace.getConfiguration('brickguard').update('rules', { [PREMIUM]: 'error' }, vscode.ConfigurationTarget.Workspace);
      await waitForFindings(
        uri,
        (ds) => ds.some((d) => codeOf(d) === PREMIUM && d.severity === vscode.DiagnosticSeverity.Error),
        `${PREMIUM} as an error`,
      );
    } finally {
      await restore();
    }
    await waitForFindings(
      uri,
      (ds) => ds.some((d) => codeOf(d) === PREMIUM && d.severity === vscode.DiagnosticSeverity.Warning),
      `${PREMIUM} back to a warning`,
    );
  });

  it('brickguard.enable false clears the findings, true brings them back', async function () {
    requireDialect(this, arm);
    const uri = await freshCopy(arm, 'enable');
    await vscode.window.showTextDocument(uri);
    await waitForFindings(uri, hasCode(PREMIUM), PREMIUM);
    const restore = await withSetting('brickguard', 'enable', false);
    try {
      await waitForFindings(uri, (ds) => ds.length === 0, 'no findings while disabled');
    } finally {
      await restore();
    }
    await waitForFindings(uri, hasCode(PREMIUM), `${PREMIUM} after re-enabling`);
  });

  it('brickguard.json rules are honoured and its errors are reported on it', async function () {
    requireDialect(this, arm);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(await freshCopy(arm, 'config-source')));
    const configUri = await writeFile('configured/brickguard.json', `{\n  // e2e\n  "rules": { "${PREMIUM}": "off" }\n}\n`);
    const uri = await writeFile('configured/template.json', text);
    await vscode.window.showTextDocument(uri);
    await waitForFindings(uri, (ds) => hasCode(PUBLIC_ACCESS)(ds) && lacksCode(PREMIUM)(ds), `${PREMIUM} off through brickguard.json`);

    // A config error: an unknown rule id and a bad severity, reported on brickguard.json with its position.
    const broken = `{\n  "rules": {\n    "no-such-rule": "off",\n    "${PREMIUM}": "loud"\n  }\n}\n`;
    // First changed on disk while closed (the file watcher's path) …
    await writeFile('configured/brickguard.json', broken);
    await waitForFindings(configUri, (ds) => ds.length >= 1, 'errors on brickguard.json changed on disk');
    // … then edited in the editor, as a user does.
    await writeFile('configured/brickguard.json', `{ "rules": { "${PREMIUM}": "off" } }\n`);
    await waitForFindings(configUri, (ds) => ds.length === 0, 'no errors on the valid brickguard.json');
    const configEditor = await vscode.window.showTextDocument(configUri);
    await configEditor.edit((b) => b.replace(new vscode.Range(0, 0, configEditor.document.lineCount, 0), broken));
    await configEditor.document.save();
    const errors = await waitForFindings(configUri, (ds) => ds.length >= 1, 'errors on brickguard.json edited in the editor');
    const seen = errors.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join(' | ');
    assert.ok(
      errors.some((d) => d.range.start.line === 3 && d.range.start.character > 0 && d.severity === vscode.DiagnosticSeverity.Error),
      `an error at line 4 (the bad severity) with its column; got ${seen}`,
    );
    assert.ok(errors.some((d) => d.range.start.line === 2), `a problem at line 3 (the unknown rule id); got ${seen}`);

    // Fixing the file clears its errors and the rules apply again.
    await configEditor.edit((b) =>
      b.replace(new vscode.Range(0, 0, configEditor.document.lineCount, 0), `{ "rules": { "${PREMIUM}": "error" } }\n`),
    );
    await configEditor.document.save();
    await waitForFindings(configUri, (ds) => ds.length === 0, 'no errors on the corrected brickguard.json');
    await waitForFindings(
      uri,
      (ds) => ds.some((d) => codeOf(d) === PREMIUM && d.severity === vscode.DiagnosticSeverity.Error),
      `${PREMIUM} as an error through brickguard.json`,
    );
    await vscode.workspace.fs.delete(configUri);
  });

  it('brickguard.json is validated against the contributed JSON schema, with comments allowed', async () => {
    const uri = await writeFile(
      'schema-check/brickguard.json',
      `{\n  // comments are fine\n  "rules": { "${PREMIUM}": "loud" },\n  "exclude": ["a/**"],\n  "surprise": true\n}\n`,
    );
    const editor = await vscode.window.showTextDocument(uri);
    assert.equal(editor.document.languageId, 'jsonc', 'brickguard.json opens as JSON with comments');
    const schemaProblems = async () =>
      vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'brickguard' && d.severity <= vscode.DiagnosticSeverity.Warning);
    const deadline = Date.now() + 20_000;
    let problems = await schemaProblems();
    while (problems.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      problems = await schemaProblems();
    }
    const lines = problems.map((d) => d.range.start.line).sort();
    assert.ok(lines.includes(2), `the bad severity is flagged by the schema; got ${problems.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`);
    assert.ok(lines.includes(4), `the unknown property is flagged by the schema; got ${problems.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`);
    assert.ok(!lines.includes(1), 'the comment is not an error');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(uri, '..'), { recursive: true });
  });
});
