// The language server as a process over stdio, driven by a small JSON-RPC client.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  LspClient,
  applyLspEdits,
  editsFor,
  type CodeAction,
  type LspDiagnostic,
  type PublishDiagnosticsParams,
} from '../helpers/lspClient';
import { ACCEPTANCE_RULES, INSECURE_ARM, MALFORMED_ARM, TF_MAIN, TF_VARIABLES, TF_VARS } from './templates';
import { PREMIUM_ONLY_RULES } from '../../server/src/rules/support/encryption';
import { CROSS_RESOURCE_RULES } from '../helpers/cross-resource';
import { MODEL_CACHE_SIZE } from '../../server/src/lsp/server';

const ownRules = (ids: string[]) => ids.filter((id) => !(CROSS_RESOURCE_RULES as readonly string[]).includes(id));

const uriOf = (path: string) => pathToFileURL(path).href;
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code)).sort();
/** Codes without the encryption design considerations that every Premium workspace without CMK gets. */
const codesBesideEncryption = (p: PublishDiagnosticsParams) => codes(p).filter((c) => !PREMIUM_ONLY_RULES.has(c));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'brickguard-lsp-'));
}

async function startClient(root: string, settings: Record<string, unknown> = {}): Promise<LspClient> {
  const client = new LspClient({ settings });
  await client.initialize(uriOf(root));
  return client;
}

async function codeActions(client: LspClient, uri: string, diagnostic: LspDiagnostic, only?: string[]): Promise<CodeAction[]> {
  return client.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic], only },
  });
}

describe('language server over stdio', () => {
  let root: string;
  let client: LspClient;
  let uri: string;
  let text = INSECURE_ARM;
  let version = 1;

  before(async () => {
    root = workspace();
    const path = join(root, 'azuredeploy.json');
    writeFileSync(path, INSECURE_ARM);
    uri = uriOf(path);
    client = await startClient(root);
  });

  after(async () => {
    const errors = client.notifications.filter((m) => m.method === 'window/logMessage' && (m.params as { type: number }).type === 1);
    assert.deepEqual(errors.map((m) => (m.params as { message: string }).message), [], 'no errors logged');
    const code = await client.stop();
    assert.equal(code, 0, `server exit code; stderr: ${client.stderr}`);
    rmSync(root, { recursive: true, force: true });
  });

  it('announces its capabilities, also without a workspace folder', async () => {
    const bare = new LspClient();
    const init = await bare.initialize(null);
    const caps = init.capabilities as {
      textDocumentSync: { change: number; openClose: boolean };
      codeActionProvider: { codeActionKinds: string[] };
      hoverProvider: boolean;
    };
    assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
    assert.equal(caps.textDocumentSync.openClose, true);
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.brickguard', 'source.brickguard.fixAllInFile']);
    assert.equal(caps.hoverProvider, true);
    assert.equal(await bare.stop(), 0);
  });

  it('publishes the acceptance findings on open with source, code, link, severity and range', async () => {
    const since = client.notifications.length;
    client.open(uri, 'json', text, version);
    const published = await client.diagnostics(uri, since);
    assert.deepEqual(codes(published), ACCEPTANCE_RULES);
    assert.equal(published.version, 1);
    for (const d of published.diagnostics) {
      assert.equal(d.source, 'brickguard');
      assert.equal(d.severity, 2, `${d.code} is a warning`);
      assert.match(d.codeDescription?.href ?? '', /^https:\/\/learn\.microsoft\.com\//);
    }
    const pna = published.diagnostics.find((d) => d.code === 'databricks-public-network-access')!;
    const line = text.split('\n')[pna.range.start.line];
    assert.equal(line.slice(pna.range.start.character, pna.range.end.character), '"Enabled"');
    const sku = published.diagnostics.find((d) => d.code === 'databricks-premium-sku')!;
    assert.equal(text.split('\n')[sku.range.start.line].slice(sku.range.start.character, sku.range.end.character), '"standard"');
  });

  it('offers the preferred fix first, then suppress, then guidance; the fix removes the finding', async () => {
    const published = client.publishedFor(uri).at(-1)!;
    const pna = published.diagnostics.find((d) => d.code === 'databricks-public-network-access')!;
    const actions = await codeActions(client, uri, pna);
    const titles = actions.map((a) => `${a.kind}: ${a.title}`).join(' | ');
    assert.ok(actions.length >= 3, titles);
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].isPreferred, true);
    const quickFixes = actions.filter((a) => a.kind === 'quickfix');
    const suppressAt = quickFixes.findIndex((a) => /^suppress/i.test(a.title));
    const guidanceAt = quickFixes.findIndex((a) => a.command?.command === 'vscode.open');
    assert.ok(suppressAt > 0, `a suppress action after the fix: ${titles}`);
    assert.equal(guidanceAt, quickFixes.length - 1, `guidance comes last: ${titles}`);
    assert.ok(!quickFixes[guidanceAt].edit);
    assert.deepEqual(quickFixes[guidanceAt].command?.arguments, [pna.codeDescription?.href]);
    assert.equal(actions.filter((a) => a.isPreferred).length, 1);

    const fixed = applyLspEdits(text, editsFor(actions[0].edit, uri));
    assert.notEqual(fixed, text);
    const since = client.notifications.length;
    text = fixed;
    client.changeFull(uri, ++version, text);
    const after = await client.diagnostics(uri, since);
    assert.equal(after.version, version);
    assert.deepEqual(codes(after), ['databricks-no-public-ip', 'databricks-premium-sku']);
  });

  it('suppress action inserts a directive that silences the finding', async () => {
    const current = client.publishedFor(uri).at(-1)!;
    const sku = current.diagnostics.find((d) => d.code === 'databricks-premium-sku')!;
    const actions = await codeActions(client, uri, sku);
    const suppress = actions.find((a) => /^suppress/i.test(a.title));
    assert.ok(suppress?.edit, 'suppress action with an edit');
    const suppressed = applyLspEdits(text, editsFor(suppress.edit, uri));
    assert.match(suppressed, /brickguard-disable-next-line databricks-premium-sku/);
    const since = client.notifications.length;
    client.changeFull(uri, ++version, suppressed);
    const after = await client.diagnostics(uri, since);
    assert.ok(!codes(after).includes('databricks-premium-sku'), JSON.stringify(codes(after)));
    // Back to the unsuppressed text for the next tests.
    const back = client.notifications.length;
    client.changeFull(uri, ++version, text);
    await client.diagnostics(uri, back);
  });

  it('hover over a finding explains the rule in markdown', async () => {
    const current = client.publishedFor(uri).at(-1)!;
    const sku = current.diagnostics.find((d) => d.code === 'databricks-premium-sku')!;
    const hover = await client.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: sku.range.start.line, character: sku.range.start.character + 2 },
    });
    assert.ok(hover, 'a hover');
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /premium/i);
    assert.doesNotMatch(hover.contents.value, /command:/);
  });

  it('a code lens above the workspace summarises its posture and shows it', async () => {
    const lenses = await client.request<{ range: { start: { line: number } }; command?: { title: string; command: string; arguments?: unknown[] } }[]>(
      'textDocument/codeLens',
      { textDocument: { uri } },
    );
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    const lens = lenses[0];
    // Above the resource object: its opening brace is the line before `"type"`.
    const lines = text.split('\n');
    assert.equal(lens.range.start.line, lines.findIndex((l) => l.includes('"type": "Microsoft.Databricks/workspaces"')) - 1);
    // After the public-access fix: public access, back-end Private Link and the four cross-resource
    // checks of the template's endpoints and setting pass; tier and no-public-IP fail.
    assert.equal(lens.command?.title, 'Brickguard: 6 of 8 checks pass');
    assert.equal(lens.command?.command, 'brickguard.showPosture');
    const [lensUri, position] = lens.command!.arguments as [string, { line: number; character: number }];
    assert.equal(lensUri, uri);
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position });
    assert.match(hover?.contents.value ?? '', /Brickguard posture of `ws`\*\*: 6 of 8 checks pass/);
    assert.match(hover?.contents.value ?? '', /- ✓ Public network access is off\n/);
  });

  it('the Ctrl+. menu offers "Fix all Brickguard problems in this file" beside the quick fixes', async () => {
    const current = client.publishedFor(uri).at(-1)!;
    const sku = current.diagnostics.find((d) => d.code === 'databricks-premium-sku')!;
    const actions = await codeActions(client, uri, sku, ['quickfix']);
    const fixAll = actions.find((a) => a.title === 'Fix all Brickguard problems in this file');
    assert.ok(fixAll?.edit, actions.map((a) => a.title).join(' | '));
    assert.match(String(fixAll.kind), /^quickfix\./);
    const fixedAll = applyLspEdits(text, editsFor(fixAll.edit, uri));
    assert.ok(fixedAll.includes('"premium"') && fixedAll.includes('"Disabled"'), fixedAll);
  });

  it('logs its version, roots, settings and each analysis at info level with trace off', async () => {
    const infos = client.notifications
      .filter((m) => m.method === 'window/logMessage' && (m.params as { type: number }).type === 3)
      .map((m) => (m.params as { message: string }).message);
    const all = infos.join('\n');
    assert.match(all, /Brickguard language server \d+\.\d+\.\d+/);
    assert.ok(all.includes(`workspace roots: ${root}`), all);
    assert.match(all, /settings: enable=true, maxFileSize=\d+ bytes, trace=off/);
    assert.match(all, /analysed \S*azuredeploy\.json in \d+ ms: \d+ findings?/);
  });

  it('source.fixAll.brickguard fixes everything in one edit', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.brickguard'] },
    });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0].kind, 'source.fixAll.brickguard');
    const fixedAll = applyLspEdits(text, editsFor(actions[0].edit, uri));
    const since = client.notifications.length;
    client.changeFull(uri, ++version, fixedAll);
    const after = await client.diagnostics(uri, since);
    assert.deepEqual(after.diagnostics, []);
    // A second fix-all has nothing to do.
    const again = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(again, []);
    const restore = client.notifications.length;
    client.changeFull(uri, ++version, text);
    await client.diagnostics(uri, restore);
  });

  it('incremental edits re-analyse and a stale result is never published', async () => {
    const since = client.notifications.length;
    const lines = text.split('\n');
    const lineNo = lines.findIndex((l) => l.includes('"standard"'));
    const col = lines[lineNo].indexOf('standard');
    const range = { start: { line: lineNo, character: col }, end: { line: lineNo, character: col + 'standard'.length } };
    // Type "premium" over "standard" one keystroke at a time, then finish.
    let current = 'standard';
    let currentRange = range;
    const steps = ['p', 'pr', 'pre', 'prem', 'premi', 'premiu', 'premium'];
    const firstVersion = version + 1;
    for (const step of steps) {
      client.changeRange(uri, ++version, currentRange, step);
      current = step;
      currentRange = { start: range.start, end: { line: lineNo, character: col + current.length } };
    }
    const final = await client.diagnostics(uri, since, (p) => p.version === version);
    assert.ok(!codes(final).includes('databricks-premium-sku'), JSON.stringify(codes(final)));
    await sleep(400);
    const published = client.notifications
      .slice(since)
      .filter((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as PublishDiagnosticsParams).uri === uri)
      .map((m) => (m.params as PublishDiagnosticsParams).version);
    assert.ok(published.length >= 1);
    for (const v of published) assert.equal(v, version, `published versions ${published.join(',')} (edits ${firstVersion}..${version})`);
    text = text.replace('"standard"', '"premium"');
  });

  it('a settings change to off removes that rule and brickguard/rules reports the effective severity', async () => {
    // By now the text still lacks enableNoPublicIp (public access and the tier were fixed above).
    assert.deepEqual(codes(client.publishedFor(uri).at(-1)!), ['databricks-no-public-ip']);
    const since = client.notifications.length;
    client.settings = { rules: { 'databricks-no-public-ip': 'off', 'databricks-premium-sku': 'error' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const after = await client.diagnostics(uri, since);
    assert.deepEqual(codes(after), []);
    type Rule = { id: string; severity: string; defaultSeverity: string; title: string; helpUri: string; dialects: string[]; fixable: boolean };
    const { rules } = await client.request<{ rules: Rule[] }>('brickguard/rules', {});
    const npi = rules.find((r) => r.id === 'databricks-no-public-ip');
    assert.ok(npi);
    assert.equal(npi.severity, 'off');
    assert.equal(npi.defaultSeverity, 'warning');
    assert.ok(npi.title.length > 0 && npi.helpUri.startsWith('https://'));
    assert.ok(npi.dialects.includes('arm'));
    assert.equal(npi.fixable, true);
    assert.equal(rules.find((r) => r.id === 'databricks-premium-sku')?.severity, 'error');
    assert.equal(rules.find((r) => r.id === 'databricks-public-network-access')?.severity, 'warning');
    const back = client.notifications.length;
    client.settings = {};
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const restored = await client.diagnostics(uri, back);
    assert.deepEqual(codes(restored), ['databricks-no-public-ip']);
  });

  it('reports brickguard.json errors on the file with line and column, and applies a fixed config', async () => {
    const configPath = join(root, 'brickguard.json');
    const configUri = uriOf(configPath);
    const since = client.notifications.length;
    writeFileSync(configPath, '{\n  "rules": {\n    "databricks-no-public-ip": "loud"\n  }\n}\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 1 }] });
    const errors = await client.diagnostics(configUri, since);
    assert.equal(errors.diagnostics.length, 1, JSON.stringify(errors));
    assert.equal(errors.diagnostics[0].range.start.line, 2);
    assert.equal(errors.diagnostics[0].severity, 1);
    assert.equal(errors.diagnostics[0].source, 'brickguard');

    const fixedSince = client.notifications.length;
    writeFileSync(configPath, '{\n  "rules": {\n    "databricks-no-public-ip": "error"\n  }\n}\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    // An analysis still pending from the first change may read the file while writeFileSync has
    // truncated it (an editor saving in place does the same): what counts is that the errors clear.
    const cleared = await client.diagnostics(configUri, fixedSince, (p) => p.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
    const doc = await client.diagnostics(uri, fixedSince, (p) => p.diagnostics.some((d) => d.code === 'databricks-no-public-ip' && d.severity === 1));
    assert.ok(doc);
    // Edited in the editor: errors follow the editor's text, and re-analysis never clears them.
    const editorSince = client.notifications.length;
    const broken = '{\n  "rules": {\n    "no-such-rule": "off",\n    "databricks-no-public-ip": "loud"\n  }\n}\n';
    client.open(configUri, 'jsonc', readFileSync(configPath, 'utf8'));
    client.changeFull(configUri, 2, broken);
    const edited = await client.diagnostics(configUri, editorSince, (p) => p.diagnostics.length > 0);
    assert.deepEqual(
      edited.diagnostics.map((d) => [d.range.start.line, d.severity]),
      [
        [2, 2],
        [3, 1],
      ],
    );
    await sleep(500);
    assert.equal(client.publishedFor(configUri).at(-1)!.diagnostics.length, 2, 'nothing cleared the errors afterwards');
    const hover = await client.request('textDocument/hover', { textDocument: { uri: configUri }, position: { line: 3, character: 6 } });
    assert.equal(hover, null);
    assert.equal(client.publishedFor(configUri).at(-1)!.diagnostics.length, 2, 'a request on brickguard.json does not clear them');
    const closedSince = client.notifications.length;
    client.close(configUri);
    await client.diagnostics(configUri, closedSince, (p) => p.diagnostics.length === 0);

    rmSync(configPath);
    const removedSince = client.notifications.length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 3 }] });
    await client.diagnostics(uri, removedSince, (p) => p.diagnostics.some((d) => d.code === 'databricks-no-public-ip' && d.severity === 2));
  });

  it('brickguard/scanFiles analyses files that are not open, publishes them and honours excludes', async () => {
    mkdirSync(join(root, 'envs', 'prod'), { recursive: true });
    mkdirSync(join(root, 'vendor'), { recursive: true });
    const prod = join(root, 'envs', 'prod', 'workspace.json');
    const vendored = join(root, 'vendor', 'workspace.json');
    writeFileSync(prod, INSECURE_ARM);
    writeFileSync(vendored, INSECURE_ARM);
    writeFileSync(join(root, 'envs', 'notes.json'), '{ "not": "a template" }');
    writeFileSync(join(root, 'brickguard.json'), '{ "exclude": ["vendor/"] }');
    const since = client.notifications.length;
    const result = await client.request<{ files: number; findings: number }>('brickguard/scanFiles', {
      uris: [uriOf(prod), uriOf(vendored), uriOf(join(root, 'envs', 'notes.json'))],
    });
    assert.equal(result.files, 1);
    assert.equal(result.findings, 3);
    const published = await client.diagnostics(uriOf(prod), since);
    assert.deepEqual(codes(published), ACCEPTANCE_RULES);
    assert.equal(client.publishedFor(uriOf(vendored)).filter((p) => p.diagnostics.length > 0).length, 0);

    // Files reported by the scan follow settings changes although they are not open.
    const changed = client.notifications.length;
    client.settings = { rules: { 'databricks-premium-sku': 'off' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const republished = await client.diagnostics(uriOf(prod), changed);
    assert.deepEqual(codes(republished), ['databricks-no-public-ip', 'databricks-public-network-access']);
    client.settings = {};
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(uriOf(prod), changed, (p) => p.diagnostics.length === 3);

    // A folder URI is walked too.
    const folder = await client.request<{ files: number; findings: number }>('brickguard/scanFiles', { uris: [uriOf(root)] });
    assert.equal(folder.files, 2, 'azuredeploy.json (open) and envs/prod/workspace.json');
    rmSync(join(root, 'brickguard.json'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(root, 'brickguard.json')), type: 3 }] });
  });

  it('analyses an untitled document by its language id', async () => {
    const untitled = 'untitled:Untitled-1';
    const since = client.notifications.length;
    client.open(untitled, 'json', INSECURE_ARM);
    const published = await client.diagnostics(untitled, since);
    assert.deepEqual(codes(published), ACCEPTANCE_RULES);
    const closed = client.notifications.length;
    client.close(untitled);
    const cleared = await client.diagnostics(untitled, closed);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('analyses an untitled .bicepparam under the Bicep extension\'s language id bicep-params', async () => {
    const untitled = 'untitled:Untitled-7';
    const since = client.notifications.length;
    client.open(untitled, 'bicep-params', "using './main.bicep'\nparam workspaceName = 'ws'\n");
    const published = await client.diagnostics(untitled, since);
    assert.deepEqual(published.diagnostics, []);
    const logged = client.notifications
      .slice(since)
      .filter((m) => m.method === 'window/logMessage')
      .map((m) => (m.params as { message: string }).message);
    assert.ok(logged.some((l) => /analysed \S*Untitled-7\.bicepparam in \d+ ms/.test(l)), logged.join('\n'));
    client.close(untitled);
  });

  it('survives a malformed template and keeps answering', async () => {
    const badUri = uriOf(join(root, 'broken.json'));
    const since = client.notifications.length;
    client.open(badUri, 'json', MALFORMED_ARM, 1);
    const published = await client.diagnostics(badUri, since);
    assert.ok(Array.isArray(published.diagnostics));
    // Type garbage into it, then close it.
    client.changeFull(badUri, 2, MALFORMED_ARM + '}}}]]]"\u0000');
    client.changeFull(badUri, 3, '');
    await client.diagnostics(badUri, since, (p) => p.version === 3);
    client.close(badUri);
    const rules = await client.request<{ rules: unknown[] }>('brickguard/rules', {});
    assert.ok(rules.rules.length >= 3);
    assert.ok(client.isRunning);
  });
});

describe('language server settings', () => {
  let root: string;
  before(() => {
    root = workspace();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('enable: false clears diagnostics and true brings them back', async () => {
    const client = await startClient(root);
    const uri = uriOf(join(root, 'a.json'));
    const since = client.notifications.length;
    client.open(uri, 'json', INSECURE_ARM);
    const first = await client.diagnostics(uri, since, (p) => p.diagnostics.length > 0);
    assert.equal(first.diagnostics.length, 3);
    const off = client.notifications.length;
    client.settings = { enable: false };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const cleared = await client.diagnostics(uri, off);
    assert.deepEqual(cleared.diagnostics, []);
    const on = client.notifications.length;
    client.settings = { enable: true };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const back = await client.diagnostics(uri, on);
    assert.equal(back.diagnostics.length, 3);
    assert.equal(await client.stop(), 0);
  });

  it('takes pushed settings from editors without workspace/configuration', async () => {
    const client = new LspClient({ capabilities: {} });
    await client.initialize(uriOf(root));
    const uri = uriOf(join(root, 'pushed.json'));
    const since = client.notifications.length;
    client.open(uri, 'json', INSECURE_ARM);
    assert.equal((await client.diagnostics(uri, since)).diagnostics.length, 3);
    const pushed = client.notifications.length;
    client.notify('workspace/didChangeConfiguration', { settings: { brickguard: { rules: { 'databricks-premium-sku': 'off' } } } });
    assert.deepEqual(codes(await client.diagnostics(uri, pushed)), ['databricks-no-public-ip', 'databricks-public-network-access']);
    const direct = client.notifications.length;
    client.notify('workspace/didChangeConfiguration', { settings: { rules: { 'databricks-no-public-ip': 'info' } } });
    const after = await client.diagnostics(uri, direct);
    assert.deepEqual(codes(after), ACCEPTANCE_RULES);
    assert.equal(after.diagnostics.find((d) => d.code === 'databricks-no-public-ip')?.severity, 3);
    // Without documentChanges support, edits come as `changes`.
    const sku = after.diagnostics.find((d) => d.code === 'databricks-premium-sku')!;
    const actions = await codeActions(client, uri, sku);
    assert.ok(actions[0].edit?.changes?.[uri], JSON.stringify(actions[0]));
    assert.equal(await client.stop(), 0);
  });

  it('computes fix-all edits on codeAction/resolve when the client resolves edits', async () => {
    const client = new LspClient({ capabilities: { textDocument: { codeAction: { resolveSupport: { properties: ['edit'] } } } } });
    await client.initialize(uriOf(root));
    const uri = uriOf(join(root, 'resolved.json'));
    const since = client.notifications.length;
    client.open(uri, 'json', INSECURE_ARM);
    assert.equal((await client.diagnostics(uri, since)).diagnostics.length, 3);
    const listed = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source'] },
    });
    assert.deepEqual(listed.map((a) => a.kind), ['source.fixAll.brickguard', 'source.brickguard.fixAllInFile']);
    assert.ok(listed.every((a) => a.edit === undefined && a.data !== undefined), 'no edit before resolve');
    const resolved = await client.request<CodeAction>('codeAction/resolve', listed[0]);
    const fixed = applyLspEdits(INSECURE_ARM, editsFor(resolved.edit, uri));
    const after = client.notifications.length;
    client.changeFull(uri, 2, fixed);
    assert.deepEqual((await client.diagnostics(uri, after)).diagnostics, []);
    assert.equal(await client.stop(), 0);
  });

  it('keeps the models of recent documents only, and analyses again for a hover or fix-all on an older one', async () => {
    const client = await startClient(root);
    const paths = Array.from({ length: MODEL_CACHE_SIZE + 2 }, (_, i) => join(root, `recent-${i}.json`));
    for (const path of paths) {
      const since = client.notifications.length;
      client.open(uriOf(path), 'json', INSECURE_ARM);
      assert.equal((await client.diagnostics(uriOf(path), since)).diagnostics.length, 3);
    }
    const analyses = (path: string) =>
      client.notifications.filter((m) => m.method === 'window/logMessage' && (m.params as { message: string }).message.startsWith(`analysed ${path} in`)).length;
    const [oldest, older] = paths;
    const newest = paths.at(-1)!;
    const hover = (path: string, position: unknown) =>
      client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf(path) }, position });
    // Lenses come with the analysis: no model needed.
    const lenses = await client.request<{ command?: { title: string; arguments?: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: uriOf(oldest) } });
    assert.equal(lenses.length, 1);
    assert.equal(analyses(oldest), 1);
    const [, position] = lenses[0].command!.arguments as [string, unknown];
    const summary = lenses[0].command!.title.replace('Brickguard: ', '');
    // The oldest document's model was dropped: the hover analyses it again and shows its posture.
    const published = client.publishedFor(uriOf(oldest)).length;
    assert.ok((await hover(oldest, position))?.contents.value.includes(`Brickguard posture of \`ws\`**: ${summary}`));
    assert.equal(analyses(oldest), 2);
    // The same diagnostics are not published again.
    assert.equal(client.publishedFor(uriOf(oldest)).length, published);
    // Now it is recent, as is the newest document: no analysis for their hovers.
    assert.ok((await hover(oldest, position))?.contents.value.includes('Brickguard posture'));
    assert.ok((await hover(newest, position))?.contents.value.includes('Brickguard posture'));
    assert.equal(analyses(oldest), 2);
    assert.equal(analyses(newest), 1);
    // Fix-all (computed at once for this client) needs the model too.
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uriOf(older) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.brickguard'] },
    });
    assert.equal(analyses(older), 2);
    const fixed = applyLspEdits(INSECURE_ARM, editsFor(actions[0]?.edit, uriOf(older)));
    assert.ok(fixed.includes('"Disabled"'), fixed);
    assert.equal(await client.stop(), 0);
  });

  it('editors other than VS Code get a guidance command that asks them to show the page', async () => {
    const client = new LspClient({
      capabilities: { window: { showDocument: { support: true } }, workspace: { configuration: true } },
      clientInfo: { name: 'Neovim', version: '0.10.0' },
    });
    const init = await client.initialize(uriOf(root));
    assert.deepEqual((init.capabilities as { executeCommandProvider?: { commands: string[] } }).executeCommandProvider?.commands, ['brickguard.openGuidance', 'brickguard.showPosture']);
    const uri = uriOf(join(root, 'nvim.json'));
    const since = client.notifications.length;
    client.open(uri, 'json', INSECURE_ARM);
    const published = await client.diagnostics(uri, since);
    const sku = published.diagnostics.find((d) => d.code === 'databricks-premium-sku')!;
    const guidance = (await codeActions(client, uri, sku)).find((a) => a.title.startsWith('Open guidance'));
    assert.equal(guidance?.command?.command, 'brickguard.openGuidance');
    await client.request('workspace/executeCommand', { command: guidance.command.command, arguments: guidance.command.arguments });
    const shown = client.serverRequests.find((m) => m.method === 'window/showDocument');
    assert.deepEqual(shown?.params, { uri: sku.codeDescription?.href, external: true });
    // The posture lens puts the cursor on the workspace in the editor.
    const [lens] = await client.request<{ command: { command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri } });
    await client.request('workspace/executeCommand', { command: lens.command.command, arguments: lens.command.arguments });
    const moved = client.serverRequests.filter((m) => m.method === 'window/showDocument').at(-1);
    const at = lens.command.arguments[1];
    assert.deepEqual(moved?.params, { uri, takeFocus: true, selection: { start: at, end: at } });
    assert.equal(await client.stop(), 0);
  });

  it('a file above brickguard.maxFileSize gets one information diagnostic instead of analysis', async () => {
    const client = await startClient(root, { maxFileSize: 200 });
    const uri = uriOf(join(root, 'big.json'));
    const since = client.notifications.length;
    client.open(uri, 'json', INSECURE_ARM);
    const published = await client.diagnostics(uri, since);
    assert.equal(published.diagnostics.length, 1);
    assert.equal(published.diagnostics[0].severity, 3);
    assert.match(published.diagnostics[0].message, /maxFileSize/);
    assert.equal(await client.stop(), 0);
  });

  it('Ctrl+. on a finding without a fix still offers fix-all when the file has preferred fixes', async () => {
    const client = await startClient(root);
    const uri = uriOf(join(root, 'directive.json'));
    const text = INSECURE_ARM.replace('  "contentVersion"', '  // brickguard-disable-next-line no-such-rule\n  "contentVersion"');
    const since = client.notifications.length;
    client.open(uri, 'json', text);
    const published = await client.diagnostics(uri, since);
    const unknown = published.diagnostics.find((d) => d.code === 'brickguard-unknown-rule');
    assert.ok(unknown, JSON.stringify(published.diagnostics.map((d) => d.code)));
    const actions = await codeActions(client, uri, unknown, ['quickfix']);
    assert.ok(!actions.some((a) => a.isPreferred), 'the finding under the cursor has no fix of its own');
    const fixAll = actions.find((a) => a.title === 'Fix all Brickguard problems in this file');
    assert.ok(fixAll?.edit, actions.map((a) => a.title).join(' | '));
    const fixed = applyLspEdits(text, editsFor(fixAll.edit, uri));
    assert.ok(fixed.includes('"premium"') && fixed.includes('"Disabled"'), fixed);
    assert.equal(await client.stop(), 0);
  });

  it('multi-root: each workspace folder\'s brickguard.rules apply to its files, and follow a settings change', async () => {
    const a = workspace();
    const b = workspace();
    const client = new LspClient();
    client.folderSettings.set(uriOf(b), { rules: { 'databricks-premium-sku': 'off' } });
    await client.initialize(uriOf(a), [uriOf(a), uriOf(b)]);
    const inA = uriOf(join(a, 'azuredeploy.json'));
    const inB = uriOf(join(b, 'azuredeploy.json'));
    const since = client.notifications.length;
    client.open(inA, 'json', INSECURE_ARM);
    client.open(inB, 'json', INSECURE_ARM);
    assert.deepEqual(codes(await client.diagnostics(inA, since)), ACCEPTANCE_RULES);
    assert.deepEqual(codes(await client.diagnostics(inB, since)), ACCEPTANCE_RULES.filter((c) => c !== 'databricks-premium-sku'));
    const { rules } = await client.request<{ rules: { id: string; severity: string }[] }>('brickguard/rules', { uri: inB });
    assert.equal(rules.find((r) => r.id === 'databricks-premium-sku')?.severity, 'off');

    const changed = client.notifications.length;
    client.folderSettings.set(uriOf(b), { rules: { 'databricks-premium-sku': 'error' } });
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const after = await client.diagnostics(inB, changed);
    assert.equal(after.diagnostics.find((d) => d.code === 'databricks-premium-sku')?.severity, 1);
    const inAAfter = await client.diagnostics(inA, changed);
    assert.equal(inAAfter.diagnostics.find((d) => d.code === 'databricks-premium-sku')?.severity, 2);
    assert.equal(await client.stop(), 0);
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  });

  it('brickguard.json naming an unknown rule: a brickguard-unknown-rule diagnostic at the key, which settings can turn off', async () => {
    const folder = workspace();
    const configPath = join(folder, 'brickguard.json');
    const configUri = uriOf(configPath);
    writeFileSync(configPath, '{\n  "rules": {\n    "no-such-rule": "off"\n  }\n}\n');
    const client = await startClient(folder);
    const since = client.notifications.length;
    client.open(uriOf(join(folder, 'azuredeploy.json')), 'json', INSECURE_ARM);
    const published = await client.diagnostics(configUri, since);
    assert.equal(published.diagnostics.length, 1, JSON.stringify(published.diagnostics));
    const [d] = published.diagnostics;
    assert.equal(d.code, 'brickguard-unknown-rule');
    assert.equal(d.source, 'brickguard');
    assert.equal(d.severity, 2);
    assert.match(d.codeDescription?.href ?? '', /^https:\/\//);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.character], [2, 4, 18]);

    const raised = client.notifications.length;
    client.settings = { rules: { 'brickguard-unknown-rule': 'error' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(configUri, raised, (p) => p.diagnostics.length === 1 && p.diagnostics[0].severity === 1);
    const off = client.notifications.length;
    client.settings = { rules: { 'brickguard-unknown-rule': 'off' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.diagnostics(configUri, off, (p) => p.diagnostics.length === 0);
    assert.equal(await client.stop(), 0);
    rmSync(folder, { recursive: true, force: true });
  });

  it('without settings the size limit is 5 MB (5,000,000 bytes), as in package.json and the CLI', async () => {
    const client = await startClient(root);
    const uri = uriOf(join(root, 'five-mb.json'));
    // Above 5,000,000 bytes, below 5 MiB.
    const text = INSECURE_ARM + ' '.repeat(5_100_000 - INSECURE_ARM.length);
    const since = client.notifications.length;
    client.open(uri, 'json', text);
    const published = await client.diagnostics(uri, since);
    assert.equal(published.diagnostics.length, 1, JSON.stringify(published.diagnostics.map((d) => d.code)));
    assert.equal(published.diagnostics[0].severity, 3);
    assert.match(published.diagnostics[0].message, /it is 5\.1 MB, larger than the limit of 5 MB \(setting brickguard\.maxFileSize: 5,000,000 bytes\)/);
    assert.equal(await client.stop(), 0);
  });

  it('re-analyses an open template when its parameters file changes', async () => {
    const client = await startClient(root);
    const template = INSECURE_ARM.replace(
      '"contentVersion": "1.0.0.0",',
      '"contentVersion": "1.0.0.0",\n  "parameters": { "access": { "type": "string", "defaultValue": "Enabled" } },',
    ).replace('"publicNetworkAccess": "Enabled"', '"publicNetworkAccess": "[parameters(\'access\')]"');
    const templatePath = join(root, 'main.json');
    const paramsPath = join(root, 'main.parameters.json');
    writeFileSync(templatePath, template);
    const uri = uriOf(templatePath);
    const since = client.notifications.length;
    client.open(uri, 'json', template);
    const first = await client.diagnostics(uri, since);
    assert.ok(codes(first).includes('databricks-public-network-access'), JSON.stringify(codes(first)));
    const params = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "access": { "value": "Disabled" } }
}
`;
    const paramsUri = uriOf(paramsPath);
    const changed = client.notifications.length;
    client.open(paramsUri, 'json', params);
    const after = await client.diagnostics(uri, changed);
    assert.ok(!codes(after).includes('databricks-public-network-access'), JSON.stringify(codes(after)));
    assert.equal(await client.stop(), 0);
  });

  it('Terraform: a .tfvars edit re-analyses the open module file, and a fix can target the .tfvars', async () => {
    const tf = join(root, 'tf');
    mkdirSync(tf, { recursive: true });
    writeFileSync(join(tf, 'main.tf'), TF_MAIN);
    writeFileSync(join(tf, 'variables.tf'), TF_VARIABLES);
    writeFileSync(join(tf, 'terraform.tfvars'), TF_VARS);
    const client = await startClient(root);
    const mainUri = uriOf(join(tf, 'main.tf'));
    const varsUri = uriOf(join(tf, 'terraform.tfvars'));
    const since = client.notifications.length;
    client.open(mainUri, 'terraform', TF_MAIN);
    const first = await client.diagnostics(mainUri, since);
    assert.deepEqual(codes(first), ['databricks-premium-sku', 'databricks-public-network-access']);

    // The preferred fix for the tier changes the value where it comes from: terraform.tfvars.
    const sku = first.diagnostics.find((d) => d.code === 'databricks-premium-sku')!;
    const actions = await codeActions(client, mainUri, sku);
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred?.edit?.documentChanges, JSON.stringify(actions));
    const varsEdits = editsFor(preferred.edit, varsUri);
    assert.ok(varsEdits.length > 0, JSON.stringify(preferred.edit));
    assert.equal(applyLspEdits(TF_VARS, varsEdits), 'sku = "premium"\n');

    // Opening and editing the .tfvars (as applying that edit would) re-analyses main.tf.
    const edited = client.notifications.length;
    client.open(varsUri, 'terraform-vars', TF_VARS);
    client.changeFull(varsUri, 2, applyLspEdits(TF_VARS, varsEdits));
    const after = await client.diagnostics(mainUri, edited, (p) => !codes(p).includes('databricks-premium-sku'));
    assert.deepEqual(codes(after), ['databricks-public-network-access']);
    client.close(varsUri);
    // A scan of the folder counts its three files, and the unit's findings once.
    const scanned = await client.request<{ files: number; findings: number }>('brickguard/scanFiles', { uris: [uriOf(tf)] });
    assert.equal(scanned.files, 3);
    assert.equal(scanned.findings, 2, 'main.tf is open (public access) and terraform.tfvars on disk still says standard');
    assert.equal(await client.stop(), 0);
  });

  it('a .bicepparam or .tfvars created or changed on disk re-analyses the open files it feeds', async () => {
    const bicepDir = join(root, 'bicep');
    mkdirSync(bicepDir, { recursive: true });
    const bicep = `param access string = 'Enabled'

resource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: {
    name: 'premium'
  }
  properties: {
    managedResourceGroupId: 'x'
    publicNetworkAccess: access
    requiredNsgRules: 'NoAzureDatabricksRules'
  }
}
`;
    writeFileSync(join(bicepDir, 'main.bicep'), bicep);
    const tfDir = join(root, 'tf-watch');
    mkdirSync(tfDir, { recursive: true });
    writeFileSync(join(tfDir, 'main.tf'), TF_MAIN);
    writeFileSync(join(tfDir, 'variables.tf'), TF_VARIABLES);

    const client = await startClient(root);
    const bicepUri = uriOf(join(bicepDir, 'main.bicep'));
    const tfUri = uriOf(join(tfDir, 'main.tf'));
    const since = client.notifications.length;
    client.open(bicepUri, 'bicep', bicep);
    client.open(tfUri, 'terraform', TF_MAIN);
    // The bare Bicep workspace is judged here on its own property (the cross-resource rules aside).
    assert.deepEqual(ownRules(codesBesideEncryption(await client.diagnostics(bicepUri, since))), ['databricks-public-network-access']);
    assert.deepEqual(codes(await client.diagnostics(tfUri, since)), ['databricks-public-network-access']);

    const created = client.notifications.length;
    const paramPath = join(bicepDir, 'main.bicepparam');
    writeFileSync(paramPath, "using './main.bicep'\n\nparam access = 'Disabled'\n");
    const varsPath = join(tfDir, 'terraform.tfvars');
    writeFileSync(varsPath, TF_VARS);
    client.notify('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf(paramPath), type: 1 },
        { uri: uriOf(varsPath), type: 1 },
      ],
    });
    assert.deepEqual(ownRules(codesBesideEncryption(await client.diagnostics(bicepUri, created))), []);
    assert.deepEqual(codes(await client.diagnostics(tfUri, created)), ['databricks-premium-sku', 'databricks-public-network-access']);

    const changed = client.notifications.length;
    writeFileSync(varsPath, 'sku = "premium"\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(varsPath), type: 2 }] });
    assert.deepEqual(codes(await client.diagnostics(tfUri, changed)), ['databricks-public-network-access']);
    assert.equal(await client.stop(), 0);
  });
});
