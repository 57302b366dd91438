// Hostile inputs for the CLI and the loaders: FIFOs, link loops, huge and binary files, globs that
// backtrack, --fix on files that are read-only, changed, not UTF-8 or outside the given paths,
// modules and `using` paths that leave the workspace, and text that would drive the terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { compileGlob } from '../../server/src/config/glob';
import { analyzePath, diskHost } from '../../server/src/engine/index';
import { readRegularFile } from '../../server/src/engine/read';
import { walkFiles } from '../../server/src/engine/walk';
import { scan, scanAndFix } from '../../server/src/cli/scan';
import { nodeWriteOps, writeFileSafely, writePlanned, type WriteOps } from '../../server/src/cli/write';
import { formatText } from '../../server/src/cli/output';
import { digestOf } from '../../server/src/cli/files';
import { LspClient, cliInvocation } from '../helpers/lspClient';
import { INSECURE_ARM, TF_MAIN } from '../lsp/templates';

const folders: string[] = [];
after(() => {
  for (const f of folders) {
    try {
      chmodSync(f, 0o755);
    } catch {
      // already gone
    }
    rmSync(f, { recursive: true, force: true });
  }
});

function project(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'brickguard-hostile-'));
  folders.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

function brickguard(cwd: string, ...args: string[]) {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, ...args], { cwd, encoding: 'utf8', timeout: 20000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.error !== undefined };
}

function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, 'mkfifo is available');
}

const INSECURE_BICEP = `resource ws 'Microsoft.Databricks/workspaces@2023-02-01' = {
  name: 'ws'
  location: 'westeurope'
  sku: { name: 'standard' }
  properties: {
    managedResourceGroupId: 'x'
    publicNetworkAccess: 'Enabled'
  }
}
`;

describe('hostile files: the CLI neither blocks nor loops', () => {
  it('1. FIFOs named main.tf, x.json, main.bicep, a .bicepparam and brickguard.json are skipped with a note', () => {
    const root = project({ 'ok/azuredeploy.json': INSECURE_ARM });
    for (const name of ['main.tf', 'x.json', 'main.bicep', 'p.bicepparam', 'brickguard.json']) mkfifo(join(root, 'ok', name));
    const r = brickguard(root, 'scan', '.', '--format', 'json');
    assert.equal(r.timedOut, false, 'the scan finished');
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { files: { path: string }[] };
    assert.deepEqual(report.files.map((f) => f.path), ['ok/azuredeploy.json']);
    assert.match(r.stderr, /skipped ok\/main\.tf: not a regular file/);
    const named = brickguard(root, 'scan', 'ok/main.bicep');
    assert.equal(named.timedOut, false);
    assert.match(named.stderr, /skipped ok\/main\.bicep: not a regular file/);
    // The reader never blocks on one either.
    const read = readRegularFile(join(root, 'ok', 'main.tf'));
    assert.equal(read.ok, false);
  });

  it('1. (LSP) FIFOs beside open files and in a scanned folder do not block the language server', async () => {
    const root = project({
      'tf/variables.tf': 'variable "x" {\n  default = "a"\n}\n',
      'b/main.bicep': INSECURE_BICEP,
      'arm/azuredeploy.json': INSECURE_ARM,
    });
    // Read with the open file: the other .tf of its folder, the .bicepparam beside a template,
    // an ARM parameters file, and brickguard.json in every folder.
    for (const name of ['tf/main.tf', 'tf/brickguard.json', 'b/p.bicepparam', 'b/brickguard.json', 'arm/azuredeploy.parameters.json', 'brickguard.json']) mkfifo(join(root, name));
    const client = new LspClient();
    try {
      await client.initialize(pathToFileURL(root).href);
      for (const [name, language, rule] of [
        ['b/main.bicep', 'bicep', 'databricks-public-network-access'],
        ['arm/azuredeploy.json', 'json', 'databricks-public-network-access'],
        ['tf/variables.tf', 'terraform', undefined],
      ] as const) {
        const uri = pathToFileURL(join(root, name)).href;
        const since = client.notifications.length;
        client.open(uri, language, readFileSync(join(root, name), 'utf8'));
        const published = await client.diagnostics(uri, since);
        if (rule) assert.ok(published.diagnostics.some((d) => d.code === rule), `${name}: ${JSON.stringify(published.diagnostics.map((d) => d.code))}`);
      }
      // A workspace scan walks past the FIFOs too, and the server still answers.
      const result = await client.request<{ files: number }>('brickguard/scanFiles', { uris: [pathToFileURL(root).href] }, 15000);
      assert.equal(result.files, 3);
    } finally {
      assert.equal(await client.stop(), 0, client.stderr);
    }
  });

  it('2. symlink loops and a link to / : each file once, the walk stays in the given folder', () => {
    const root = project({ 'a/azuredeploy.json': INSECURE_ARM });
    symlinkSync('.', join(root, 'self'));
    symlinkSync('..', join(root, 'a', 'up'));
    symlinkSync('/', join(root, 'rootlink'));
    const walked = walkFiles([root]);
    assert.deepEqual(walked.files, [join(root, 'a', 'azuredeploy.json')]);
    assert.ok(walked.skipped.some((s) => s.path === join(root, 'rootlink') && s.reason === 'outside'));
    const r = brickguard(root, 'scan', '.', '--format', 'json');
    assert.equal(r.timedOut, false);
    const report = JSON.parse(r.stdout) as { files: { path: string }[]; findings: unknown[] };
    assert.equal(report.files.length, 1);
    assert.equal(report.findings.length, 3);
  });

  it('4. an exclude glob built to backtrack is matched in linear time, with the same meaning', () => {
    const evil = `${'*a'.repeat(25)}*b`;
    assert.equal(compileGlob(evil).test('a'.repeat(80)), false);
    assert.equal(compileGlob(evil).test(`${'a'.repeat(30)}b`), true);
    const root = project({ 'brickguard.json': JSON.stringify({ exclude: [evil] }), [`${'a'.repeat(60)}.json`]: INSECURE_ARM });
    const r = brickguard(root, 'scan', '.');
    assert.equal(r.timedOut, false);
    assert.equal(r.code, 1);
    // Same meaning as before for ordinary globs.
    const cases: [string, string, boolean][] = [
      ['legacy/**', 'legacy/a/main.bicep', true],
      ['*.generated.json', 'deep/x.generated.json', true],
      ['modules/old', 'modules/old/main.tf', true],
      ['modules/old', 'modules/older/main.tf', false],
      ['/main.tf', 'a/main.tf', false],
      ['main.tf', 'a/main.tf', true],
      ['a/**/b.tf', 'a/b.tf', true],
      ['a/**/b.tf', 'a/x/y/b.tf', true],
      ['a/*/b.tf', 'a/x/y/b.tf', false],
      ['a?c', 'abc', true],
      ['a?c', 'a/c', false],
      ['x**y', 'x/q/y', true],
      ['a.b', 'axb', false],
    ];
    for (const [glob, path, expected] of cases) assert.equal(compileGlob(glob).test(path), expected, `${glob} ~ ${path}`);
  });

  it('5. a size limit: a huge .tf and a binary renamed main.tf are skipped with a note, quickly', () => {
    const binary = Buffer.alloc(200_000);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
    const root = project({ 'bin/main.tf': binary, 'ok/azuredeploy.json': INSECURE_ARM });
    mkdirSync(join(root, 'big'));
    writeFileSync(join(root, 'big', 'main.tf'), `# ${'x'.repeat(6_000_000)}\n`);
    const r = brickguard(root, 'scan', '.', '--format', 'json');
    assert.equal(r.timedOut, false);
    assert.match(r.stderr, /skipped big\/main\.tf: larger than 5000000 bytes/);
    assert.match(r.stderr, /skipped bin\/main\.tf: binary content/);
    assert.ok(r.stdout.length < 100_000, `report of ${r.stdout.length} characters`);
    const small = brickguard(root, 'scan', 'ok', '--max-file-size', '100');
    assert.match(small.stderr, /skipped ok\/azuredeploy\.json: larger than 100 bytes/);
    assert.equal(small.code, 0);
  });

  it('16. an unreadable file is a note, the other files are scanned, and the exit code says so', () => {
    const root = project({ 'a/azuredeploy.json': INSECURE_ARM, 'b/azuredeploy.json': INSECURE_ARM });
    const denied = join(root, 'a', 'azuredeploy.json');
    const read = (path: string, limits: { maxSize?: number }) =>
      path === denied ? ({ ok: false, reason: 'unreadable', detail: 'permission denied' } as const) : readRegularFile(path, limits);
    for (const paths of [['.'], ['a/azuredeploy.json', 'b']]) {
      const report = scan({ paths, cwd: root, io: { read } });
      assert.deepEqual(report.files.map((f) => f.path), [join(root, 'b', 'azuredeploy.json')]);
      assert.deepEqual(report.skipped.map((s) => [s.path, s.detail]), [[denied, 'permission denied']]);
    }
    if (process.getuid?.() !== 0) {
      chmodSync(denied, 0o000);
      const r = brickguard(root, 'scan', '.');
      chmodSync(denied, 0o644);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /skipped a\/azuredeploy\.json: permission denied/);
      assert.match(r.stdout, /Scanned 1 file/);
    }
  });
});

describe('--fix loses nothing', () => {
  it('7. a read-only file is reported, the others are still fixed', () => {
    const root = project({ 'a/azuredeploy.json': INSECURE_ARM, 'b/azuredeploy.json': INSECURE_ARM });
    const locked = join(root, 'a', 'azuredeploy.json');
    const ops: WriteOps = {
      ...nodeWriteOps,
      accessSync: (p, m) => {
        if (p === locked) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        nodeWriteOps.accessSync(p, m);
      },
    };
    const out = scanAndFix({ paths: ['.'], cwd: root, io: { write: ops } });
    assert.deepEqual(out.written, [join(root, 'b', 'azuredeploy.json')]);
    assert.deepEqual(out.writeIssues.map((w) => [w.path, w.status]), [[locked, 'read-only']]);
    assert.equal(readFileSync(locked, 'utf8'), INSECURE_ARM);
    assert.notEqual(readFileSync(join(root, 'b', 'azuredeploy.json'), 'utf8'), INSECURE_ARM);
  });

  it('8. a file edited between analysis and write is not overwritten', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const file = join(root, 'azuredeploy.json');
    const edited = `${INSECURE_ARM}\n`;
    let reads = 0;
    const read = (path: string, limits: { maxSize?: number }) => {
      const r = readRegularFile(path, limits);
      if (path === file && reads++ === 0) writeFileSync(file, edited); // the user saves right after the analysis read it
      return r;
    };
    const out = scanAndFix({ paths: ['.'], cwd: root, io: { read } });
    assert.deepEqual(out.written, []);
    assert.deepEqual(out.writeIssues.map((w) => [w.path, w.status]), [[file, 'changed']]);
    assert.equal(readFileSync(file, 'utf8'), edited);
  });

  it('9. a full disk leaves the original whole and no temporary file behind', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const file = join(root, 'azuredeploy.json');
    const ops: WriteOps = {
      ...nodeWriteOps,
      writeSync: (fd, data, offset, length) => {
        nodeWriteOps.writeSync(fd, data, offset, Math.min(length, 10));
        throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      },
    };
    const out = scanAndFix({ paths: ['.'], cwd: root, io: { write: ops } });
    assert.deepEqual(out.writeIssues.map((w) => [w.status, w.message]), [['failed', 'no space left on the device; the file is unchanged']]);
    assert.equal(readFileSync(file, 'utf8'), INSECURE_ARM);
    assert.deepEqual(spawnSync('ls', ['-A', root], { encoding: 'utf8' }).stdout.trim().split('\n'), ['azuredeploy.json']);
  });

  it('atomic write keeps the mode of the file', () => {
    const root = project({ 'x.tf': 'a = 1\n' });
    const file = join(root, 'x.tf');
    chmodSync(file, 0o640);
    const bytes = readFileSync(file);
    const out = writeFileSafely({ path: file, text: 'a = 2\n', digest: digestOf(bytes), utf8: true });
    assert.equal(out.status, 'written');
    assert.equal(readFileSync(file, 'utf8'), 'a = 2\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
  });

  it('10. a file that is not valid UTF-8 (Windows-1252) is analysed but never rewritten', () => {
    const bytes = Buffer.concat([Buffer.from(INSECURE_ARM.replace('"ws"', '"ws-caf\u00e9"'), 'latin1')]);
    const root = project({ 'azuredeploy.json': bytes });
    const file = join(root, 'azuredeploy.json');
    const out = scanAndFix({ paths: ['.'], cwd: root });
    assert.ok(out.report.files.length === 1);
    assert.deepEqual(out.writeIssues.map((w) => [w.path, w.status]), [[file, 'not-utf8']]);
    assert.deepEqual(readFileSync(file), bytes);
  });

  it('11. nothing is written outside the given paths, even through a linked folder', () => {
    const outside = project({ 'main.tf': TF_MAIN });
    const root = project({ 'app/main.tf': TF_MAIN, 'shared/main.tf': TF_MAIN });
    symlinkSync(outside, join(root, 'app', 'linked'));
    const given = [join(root, 'app')];
    const outcomes = writePlanned(
      [
        { path: join(root, 'shared', 'main.tf'), text: 'x' },
        { path: join(root, 'app', 'linked', 'main.tf'), text: 'x' },
      ],
      given,
    );
    assert.deepEqual(outcomes.map((o) => o.status), ['outside', 'outside']);
    assert.equal(readFileSync(join(root, 'shared', 'main.tf'), 'utf8'), TF_MAIN);
    assert.equal(readFileSync(join(outside, 'main.tf'), 'utf8'), TF_MAIN);
  });
});

describe('--fix on real files: module outputs outside the given paths', () => {
  const OUTPUT_TF = 'output "sku" {\n  value = "standard"\n}\n';
  const OUTPUT_BICEP = "output sku string = 'standard'\n";
  const workspaceTf = (source: string) =>
    `module "m" {\n  source = "${source}"\n}\n\nresource "azurerm_databricks_workspace" "ws" {\n  name                          = "ws"\n  resource_group_name           = "rg"\n  location                      = "westeurope"\n  sku                           = module.m.sku\n  public_network_access_enabled = true\n}\n`;
  const workspaceBicep =
    "module m '../../bshared/mod.bicep' = {\n  name: 'm'\n}\n\nresource ws 'Microsoft.Databricks/workspaces@2024-05-01' = {\n  name: 'ws'\n  location: 'westeurope'\n  sku: { name: m.outputs.sku }\n  properties: {\n    managedResourceGroupId: 'x'\n    publicNetworkAccess: 'Enabled'\n  }\n}\n";

  it('11. (CLI) fixes in ../shared/main.tf, ../bshared/mod.bicep and a linked module folder are reported, not written; the files in scope are fixed', () => {
    const root = project({
      'shared/main.tf': OUTPUT_TF,
      'bshared/mod.bicep': OUTPUT_BICEP,
      'elsewhere/tfmod/main.tf': OUTPUT_TF,
      'app/tf/main.tf': workspaceTf('../../shared'),
      'app/tf2/main.tf': workspaceTf('./linked'),
      'app/b/main.bicep': workspaceBicep,
    });
    symlinkSync(join(root, 'elsewhere', 'tfmod'), join(root, 'app', 'tf2', 'linked'));
    const app = join(root, 'app');
    // The workspace root includes the modules (they are read), the given path does not (they are not written).
    const r = brickguard(app, 'scan', '.', '--root', '..', '--fix', '--format', 'json');
    assert.equal(r.timedOut, false);
    const out = JSON.parse(r.stdout) as { fixed: { path: string; ruleIds: string[] }[]; changedFiles: string[]; findings: { path: string; ruleId: string }[] };

    // Outside the given path: byte for byte as before, and said on stderr.
    assert.equal(readFileSync(join(root, 'shared', 'main.tf'), 'utf8'), OUTPUT_TF);
    assert.equal(readFileSync(join(root, 'bshared', 'mod.bicep'), 'utf8'), OUTPUT_BICEP);
    assert.equal(readFileSync(join(root, 'elsewhere', 'tfmod', 'main.tf'), 'utf8'), OUTPUT_TF);
    for (const shown of [join(root, 'shared', 'main.tf'), join(root, 'bshared', 'mod.bicep'), join('tf2', 'linked', 'main.tf')]) {
      assert.ok(r.stderr.includes(`not written ${shown}: outside the paths given`), r.stderr);
    }

    // In scope: the fixes that edit only these files are written (VNet injection; public access stays
    // on, since without a UI/API endpoint turning it off is offered, not preferred).
    assert.deepEqual(out.changedFiles.sort(), ['b/main.bicep', 'tf/main.tf', 'tf2/main.tf']);
    assert.match(readFileSync(join(app, 'tf', 'main.tf'), 'utf8'), /virtual_network_id += var\.ws_vnet_id/);
    assert.match(readFileSync(join(app, 'tf2', 'main.tf'), 'utf8'), /virtual_network_id += var\.ws_vnet_id/);
    assert.match(readFileSync(join(app, 'b', 'main.bicep'), 'utf8'), /customVirtualNetworkId: \{\s+value: wsVnetId/);

    // The SKU, whose fix lies outside, is neither reported as fixed nor gone from the findings.
    for (const f of out.fixed) assert.ok(f.ruleIds.includes('databricks-vnet-injection') && !f.ruleIds.includes('databricks-premium-sku'), JSON.stringify(f));
    assert.deepEqual(
      out.findings.filter((f) => f.ruleId === 'databricks-premium-sku').map((f) => f.path).sort(),
      ['b/main.bicep', 'tf/main.tf', 'tf2/main.tf'],
    );
    // What is reported is what is on disk: a plain scan finds the same.
    const again = JSON.parse(brickguard(app, 'scan', '.', '--root', '..', '--format', 'json').stdout) as { findings: { path: string; ruleId: string }[] };
    assert.deepEqual(again.findings.map((f) => `${f.path} ${f.ruleId}`).sort(), out.findings.map((f) => `${f.path} ${f.ruleId}`).sort());
  });
});

describe('reading outside the workspace', () => {
  it('12. a Bicep module or Terraform module through a link to an outside folder is not read', () => {
    const outside = project({
      'mod.bicep': INSECURE_BICEP.replace("'ws'", "'LEAKED-NAME'"),
      'main.tf': 'resource "azurerm_databricks_workspace" "w" {\n  name = "LEAKED-NAME"\n  sku = "standard"\n}\n',
    });
    const root = project({
      'b/main.bicep': "module m './linked/mod.bicep' = {\n  name: 'm'\n}\n",
      'tf/main.tf': 'module "m" {\n  source = "./linked"\n}\n',
    });
    symlinkSync(outside, join(root, 'b', 'linked'));
    symlinkSync(outside, join(root, 'tf', 'linked'));
    const host = diskHost([root]);
    for (const file of ['b/main.bicep', 'tf/main.tf']) {
      const result = analyzePath(join(root, file), host)!;
      assert.ok(result, file);
      assert.deepEqual(result.files.filter((f) => f.text.includes('LEAKED')).map((f) => f.path), [], file);
      assert.equal(result.unit.resources.length, 0, file);
      assert.ok(!JSON.stringify(result.findings).includes('LEAKED'), file);
    }
  });

  it('13. with no workspace root, `using` cannot reach /etc/passwd', () => {
    const root = project({ 'p.bicepparam': `using '${'../'.repeat(12)}etc/passwd'\n` });
    const result = analyzePath(join(root, 'p.bicepparam'), diskHost([]));
    assert.ok(result);
    assert.deepEqual(result.files.map((f) => f.path), [join(root, 'p.bicepparam')]);
    const cli = brickguard('/', 'scan', join(root, 'p.bicepparam'), '--format', 'json');
    assert.doesNotMatch(cli.stdout, /passwd|root:/);
  });
});

describe('references that leave the workspace are notes, not findings', () => {
  const OUTSIDE_TF = 'resource "azurerm_databricks_workspace" "w" {\n  name = "LEAKED-NAME"\n  sku = "standard"\n}\n';
  function layout() {
    const outside = project({
      'mod.bicep': INSECURE_BICEP.replace("'ws'", "'LEAKED-NAME'"),
      'tfmod/main.tf': OUTSIDE_TF,
      'base.bicepparam': "using none\nparam leaked = 'LEAKED-NAME'\n",
      'params.json': '{ "parameters": { "leaked": { "value": "LEAKED-NAME" } } }\n',
    });
    const root = project({});
    const up = relative(join(root, 'b'), outside);
    const files: Record<string, string> = {
      'b/direct.bicep': `module m '${up}/mod.bicep' = {\n  name: 'm'\n}\n`,
      'b/linked.bicep': "module m './linked/mod.bicep' = {\n  name: 'm'\n}\n",
      'b/p.bicepparam': `using '${up}/mod.bicep'\n`,
      'b/q.bicepparam': `using './own.bicep'\nextends '${up}/base.bicepparam'\n`,
      'b/own.bicep': 'param leaked string\n',
      'tf/main.tf': `module "m" {\n  source = "${up}/tfmod"\n}\n`,
      'arm/azuredeploy.json': INSECURE_ARM,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    symlinkSync(outside, join(root, 'b', 'linked'));
    symlinkSync(join(outside, 'params.json'), join(root, 'arm', 'azuredeploy.parameters.json'));
    return root;
  }
  const expected = [
    { path: 'arm/azuredeploy.json', line: 1, column: 1, message: 'parameters file outside the workspace, not read' },
    { path: 'b/direct.bicep', line: 1, column: 10, message: 'module outside the workspace, not read' },
    { path: 'b/linked.bicep', line: 1, column: 10, message: 'module outside the workspace, not read' },
    { path: 'b/p.bicepparam', line: 1, column: 7, message: "'using' file outside the workspace, not read" },
    { path: 'b/q.bicepparam', line: 2, column: 9, message: "'extends' file outside the workspace, not read" },
    { path: 'tf/main.tf', line: 2, column: 12, message: 'module outside the workspace, not read' },
  ];

  it('a Bicep module, `using` or `extends` path, a Terraform module or an ARM parameters file outside (directly or through a link) is a note in text, JSON and SARIF', () => {
    const root = layout();
    const text = brickguard(root, 'scan', '.');
    for (const n of expected) assert.ok(text.stdout.includes(`${n.path}:${n.line}:${n.column}  note  ${n.message}\n`), `${n.path}: ${text.stdout}`);
    assert.ok(!text.stdout.includes('LEAKED') && !text.stderr.includes('LEAKED'), text.stdout);

    const json = JSON.parse(brickguard(root, 'scan', '.', '--format', 'json').stdout) as { notes: unknown[]; findings: { path: string }[] };
    assert.deepEqual(json.notes, expected);
    // Not findings: the only findings are the ARM template's own.
    assert.deepEqual([...new Set(json.findings.map((f) => f.path))], ['arm/azuredeploy.json']);

    const sarif = JSON.parse(brickguard(root, 'scan', '.', '--format', 'sarif').stdout) as {
      runs: { invocations: { toolExecutionNotifications: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }[];
    };
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications.filter((n) => n.level === 'note');
    assert.deepEqual(
      notes.map((n) => [n.locations[0].physicalLocation.artifactLocation.uri, n.locations[0].physicalLocation.region.startLine, n.message.text]),
      expected.map((n) => [n.path, n.line, n.message]),
    );
  });

  it('the language server logs the note for the open file and publishes no diagnostic for it', async () => {
    const root = layout();
    const client = new LspClient();
    try {
      await client.initialize(pathToFileURL(root).href);
      for (const name of ['b/linked.bicep', 'tf/main.tf']) {
        const uri = pathToFileURL(join(root, name)).href;
        const since = client.notifications.length;
        client.open(uri, name.endsWith('.tf') ? 'terraform' : 'bicep', readFileSync(join(root, name), 'utf8'));
        const published = await client.diagnostics(uri, since);
        assert.deepEqual(published.diagnostics, [], name);
        const logs = client.notifications.filter((m) => m.method === 'window/logMessage').map((m) => (m.params as { message: string }).message);
        const line = name.endsWith('.tf') ? '2:12' : '1:10';
        assert.ok(logs.includes(`note: ${join(root, name)}:${line}: module outside the workspace, not read`), logs.join('\n'));
      }
    } finally {
      await client.stop();
    }
  });
});

describe('output hygiene', () => {
  it('15. control characters from templates and file names are escaped in text output', () => {
    // A value quoted in a message (the SKU), and a file name, both carrying terminal escapes.
    const evil = '\u001b]0;PWNED\u0007\u001b[1A\u001b[2K';
    const root = project({
      'azuredeploy.json': INSECURE_ARM.replace('"name": "standard"', `"name": "standard${JSON.stringify(evil).slice(1, -1)}"`),
      [`x${evil}.json`]: INSECURE_ARM,
    });
    const escaped = '\\u001b]0;PWNED\\u0007\\u001b[1A\\u001b[2K';
    const report = scan({ paths: ['.'], cwd: root });
    const text = formatText(report);
    assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f]/);
    assert.ok(text.includes(`The workspace tier is 'standard${escaped}'`), text);
    assert.ok(text.includes(`x${escaped}.json:`), text);
    const r = brickguard(root, 'scan', '.');
    assert.doesNotMatch(r.stdout, /\u001b|\u0007/);
    assert.ok(r.stdout.includes(`standard${escaped}`), r.stdout);
  });
});

describe('secrets in syntax errors', () => {
  it('14. a token that is a syntax error is never quoted in text, JSON or SARIF', () => {
    const secret = 'dapi0123456789abcdef0123456789abcdef';
    const root = project({
      'tf/main.tf': `locals {\n  x = "a" ${secret}\n}\nresource "x" "y" {\n  ${secret}\n}\n`,
      'b/main.bicep': `var x = 'a' ${secret}\n${secret}\nvar y = 1 ~${secret}\n`,
    });
    for (const format of ['text', 'json', 'sarif']) {
      const r = brickguard(root, 'scan', '.', '--format', format);
      assert.match(r.stdout, /syntax|unexpected|Expected|expected/i, format);
      assert.ok(!r.stdout.includes('dapi0123'), `${format}: ${r.stdout}`);
      assert.ok(!r.stderr.includes('dapi0123'), `${format}: ${r.stderr}`);
    }
  });
});
