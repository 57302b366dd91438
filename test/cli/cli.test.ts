// The CLI as a process on real files in temporary folders.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliInvocation } from '../helpers/lspClient';
import { sarifProblems } from '../helpers/sarif';
import { ACCEPTANCE_RULES, INSECURE_ARM, INSECURE_ARM_2024, MALFORMED_ARM, TF_MAIN, TF_VARIABLES, TF_VARS } from '../lsp/templates';
import { scratchProject } from '../helpers/scratch';

const folders: string[] = [];

/** A temporary folder holding the given files (relative path → text). */
function project(files: Record<string, string>): string {
  return scratchProject('brickguard-cli-', files);
}

function brickguard(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const { command, args: prefix } = cliInvocation();
  const r = spawnSync(command, [...prefix, ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonReport {
  files: { path: string; dialect: string; syntaxErrors: { line: number; column: number; message: string }[] }[];
  findings: {
    path: string;
    range: { start: { line: number; column: number }; end: { line: number; column: number } };
    severity: string;
    ruleId: string;
    message: string;
    fixes: { title: string; kind: string; preferred: boolean; edits: { path: string; newText: string }[] }[];
  }[];
  fixed?: { path: string; ruleIds: string[] }[];
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; name: string; shortDescription: { text: string }; helpUri: string; defaultConfiguration: { level: string } }[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: unknown[] }[] }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
      partialFingerprints: Record<string, string>;
      fixes?: {
        description: { text: string };
        artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number }; insertedContent: { text: string } }[] }[];
      }[];
    }[];
  }[];
}

after(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('brickguard scan', () => {
  it('prints file:line:col  severity  RULE-ID  message, then a summary, and exits 1', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const r = brickguard(root, 'scan');
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const findings = lines.filter((l) => /^azuredeploy\.json:\d+:\d+ {2}/.test(l));
    assert.equal(findings.length, 3, r.stdout);
    for (const l of findings) assert.match(l, /^azuredeploy\.json:\d+:\d+ {2}warning {2}[a-z-]+ {2}\S.*$/);
    assert.deepEqual(findings.map((l) => l.split('  ')[2]).sort(), ACCEPTANCE_RULES);
    const pna = findings.find((l) => l.includes('databricks-public-network-access'))!;
    const [, line, col] = /^azuredeploy\.json:(\d+):(\d+)/.exec(pna)!;
    const sourceLine = INSECURE_ARM.split('\n')[Number(line) - 1];
    assert.equal(sourceLine.slice(Number(col) - 1, Number(col) - 1 + '"Enabled"'.length), '"Enabled"');
    const summary = lines.at(-1)!;
    assert.match(summary, /1 file/);
    assert.match(summary, /1 ARM/);
    assert.match(summary, /3 findings/);
    assert.match(summary, /3 warnings/);
    assert.match(summary, /0 files with syntax errors/);
  });

  it('does not report databricks-no-public-ip for apiVersion 2024-05-01', () => {
    const root = project({ 'ws.json': INSECURE_ARM_2024 });
    const r = brickguard(root, 'scan', '--format', 'json');
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(report.findings.map((f) => f.ruleId).sort(), ['databricks-premium-sku', 'databricks-public-network-access']);
  });

  it('json lists every scanned file (with syntax errors) and findings with 1-based ranges and fixes', () => {
    const root = project({
      'a/azuredeploy.json': INSECURE_ARM,
      'b/broken.json': MALFORMED_ARM,
      'b/notes.json': '{ "hello": "not a template" }',
      'node_modules/x/azuredeploy.json': INSECURE_ARM,
    });
    const r = brickguard(root, 'scan', '--format=json');
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => f.path).sort(), [join('a', 'azuredeploy.json'), join('b', 'broken.json')]);
    const broken = report.files.find((f) => f.path.endsWith('broken.json'))!;
    assert.equal(broken.dialect, 'arm');
    assert.ok(broken.syntaxErrors.length > 0, 'the broken template lists its syntax errors');
    assert.ok(broken.syntaxErrors[0].line >= 1 && broken.syntaxErrors[0].column >= 1);
    const inA = report.findings.filter((f) => f.path === join('a', 'azuredeploy.json'));
    assert.deepEqual(inA.map((f) => f.ruleId).sort(), ACCEPTANCE_RULES);
    const sku = inA.find((f) => f.ruleId === 'databricks-premium-sku')!;
    const skuLine = INSECURE_ARM.split('\n').findIndex((l) => l.includes('"standard"')) + 1;
    assert.equal(sku.range.start.line, skuLine);
    assert.equal(sku.range.start.column, INSECURE_ARM.split('\n')[skuLine - 1].indexOf('"standard"') + 1);
    assert.equal(sku.range.end.column - sku.range.start.column, '"standard"'.length);
    assert.equal(sku.severity, 'warning');
    const preferred = sku.fixes.filter((f) => f.preferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].kind, 'fix');
    assert.match(preferred[0].edits[0].newText, /premium/);
    assert.ok(sku.fixes.some((f) => f.kind === 'suppress'));
    const summary = brickguard(root, 'scan').stdout.trimEnd().split('\n').at(-1)!;
    assert.match(summary, /2 files/);
    assert.match(summary, /1 file with syntax errors/);
  });

  it('sarif: 2.1.0 with the rule catalogue, results, fixes and fingerprints that survive inserted lines', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const r = brickguard(root, 'scan', '--format', 'sarif');
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(r.stdout) as SarifLog;
    assert.deepEqual(sarifProblems(sarif, root), []);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    const ruleIds = run.tool.driver.rules.map((x) => x.id);
    for (const id of ACCEPTANCE_RULES) assert.ok(ruleIds.includes(id), id);
    assert.equal(new Set(ruleIds).size, ruleIds.length, 'rule ids are unique');
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.name && rule.shortDescription.text, rule.id);
      assert.match(rule.helpUri, /^https:\/\//);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level), rule.id);
    }
    assert.equal(run.results.length, 3);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      assert.equal(result.level, 'warning');
      assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'azuredeploy.json');
      assert.ok(result.locations[0].physicalLocation.region.startLine >= 1);
      const fix = result.fixes?.[0];
      assert.ok(fix, `${result.ruleId} has a fix`);
      assert.equal(fix.artifactChanges[0].artifactLocation.uri, 'azuredeploy.json');
      assert.ok(fix.artifactChanges[0].replacements[0].deletedRegion.startLine >= 1);
      assert.equal(typeof fix.artifactChanges[0].replacements[0].insertedContent.text, 'string');
    }
    assert.deepEqual(run.invocations[0].toolExecutionNotifications, []);

    // Insert lines above the resource: locations move, fingerprints do not.
    const shifted = INSECURE_ARM.replace('"contentVersion": "1.0.0.0",', '"contentVersion": "1.0.0.0",\n  "metadata": {\n    "owner": "data-platform"\n  },\n');
    writeFileSync(join(root, 'azuredeploy.json'), shifted);
    const movedLog = JSON.parse(brickguard(root, 'scan', '--format', 'sarif').stdout) as SarifLog;
    assert.deepEqual(sarifProblems(movedLog, root), []);
    const moved = movedLog.runs[0].results;
    const byRule = (rs: SarifLog['runs'][0]['results']) => new Map(rs.map((x) => [x.ruleId, x]));
    const before = byRule(run.results);
    for (const [id, now] of byRule(moved)) {
      const was = before.get(id)!;
      assert.equal(now.locations[0].physicalLocation.region.startLine, was.locations[0].physicalLocation.region.startLine + 4, id);
      assert.deepEqual(now.partialFingerprints, was.partialFingerprints, id);
    }
    const prints = moved.map((x) => Object.values(x.partialFingerprints)[0]);
    assert.equal(new Set(prints).size, prints.length, 'fingerprints are distinct');
  });

  it('sarif lists syntax errors as tool execution notifications', () => {
    const root = project({ 'broken.json': MALFORMED_ARM });
    const sarif = JSON.parse(brickguard(root, 'scan', '--format', 'sarif').stdout) as SarifLog;
    assert.deepEqual(sarifProblems(sarif, root), []);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    assert.ok(notes.length > 0);
    assert.ok(notes[0].locations.length === 1 && notes[0].message.text.length > 0);
  });

  it('--fix applies the preferred fixes, keeps the rest of the file byte-identical, and a second scan is clean', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const r = brickguard(root, 'scan', '--fix');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /fixed {2}azuredeploy\.json {2}databricks-no-public-ip, databricks-premium-sku, databricks-public-network-access/);
    const fixed = readFileSync(join(root, 'azuredeploy.json'), 'utf8');
    assert.notEqual(fixed, INSECURE_ARM);
    // Undo exactly the three changes: what remains must be the original, byte for byte.
    const undone = fixed
      .replace(/,\s*"requiredNsgRules": "NoAzureDatabricksRules"/, '')
      .replace('"name": "premium"', '"name": "standard"')
      .replace('"publicNetworkAccess": "Disabled"', '"publicNetworkAccess": "Enabled"')
      .replace(/,\s*"enableNoPublicIp": \{\s*"value": true\s*\}/, '');
    assert.equal(undone, INSECURE_ARM);
    assert.doesNotThrow(() => JSON.parse(fixed));

    const again = brickguard(root, 'scan');
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /0 findings/);
    const noop = brickguard(root, 'scan', '--fix');
    assert.equal(readFileSync(join(root, 'azuredeploy.json'), 'utf8'), fixed, 'a second --fix changes nothing');
    assert.equal(noop.code, 0);
  });

  it('--fix with --format json reports what changed', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const report = JSON.parse(brickguard(root, 'scan', '--fix', '--format', 'json').stdout) as JsonReport;
    assert.deepEqual(report.fixed, [{ path: 'azuredeploy.json', ruleIds: ACCEPTANCE_RULES }]);
    assert.deepEqual(report.findings, []);
  });

  it('--min-severity decides the exit code', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    assert.equal(brickguard(root, 'scan', '--min-severity', 'error').code, 0);
    assert.equal(brickguard(root, 'scan', '--min-severity', 'warning').code, 1);
    assert.equal(brickguard(root, 'scan', '--min-severity', 'info').code, 1);
    const clean = project({ 'empty.json': INSECURE_ARM.replace(/"resources": \[[\s\S]*\]/, '"resources": []') });
    const r = brickguard(clean, 'scan');
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Scanned 1 file/);
  });

  it('--output writes the report to a file', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const r = brickguard(root, 'scan', '--format', 'sarif', '--output', 'out/report.sarif'.replace('out/', ''));
    assert.equal(r.stdout, '');
    assert.equal(r.code, 1);
    const sarif = JSON.parse(readFileSync(join(root, 'report.sarif'), 'utf8')) as SarifLog;
    assert.deepEqual(sarifProblems(sarif, root), []);
    assert.equal(sarif.runs[0].results.length, 3);
  });

  it('scans several paths and prints a finding reached through several of them once', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM, 'sub/other.json': INSECURE_ARM_2024 });
    const r = brickguard(root, 'scan', '.', 'azuredeploy.json', 'sub', '--format', 'json');
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.files.length, 2);
    assert.equal(report.findings.length, 5);
  });

  it('a Terraform folder is one unit: each finding once, --fix edits the .tfvars that supplies the value', () => {
    const root = project({ 'infra/main.tf': TF_MAIN, 'infra/variables.tf': TF_VARIABLES, 'infra/terraform.tfvars': TF_VARS });
    const r = brickguard(root, 'scan', 'infra', 'infra/main.tf', '--format', 'json');
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.files.length, 3);
    assert.ok(report.files.every((f) => f.dialect === 'terraform'));
    assert.deepEqual(report.findings.map((f) => f.ruleId).sort(), ['databricks-premium-sku', 'databricks-public-network-access']);
    const text = brickguard(root, 'scan');
    assert.match(text.stdout.trimEnd().split('\n').at(-1)!, /3 files \(3 Terraform\)/);

    const fixed = brickguard(root, 'scan', '--fix');
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stdout, /changed {2}.*terraform\.tfvars/);
    assert.equal(readFileSync(join(root, 'infra', 'terraform.tfvars'), 'utf8'), 'sku = "premium"\n');
    assert.equal(readFileSync(join(root, 'infra', 'variables.tf'), 'utf8'), TF_VARIABLES);
    // With public access off, the classic workspace also gets back-end Private Link (fields realigned).
    // Only the workspace's own attributes are realigned (the resources after it keep theirs).
    const cut = TF_MAIN.indexOf('\n  custom_parameters {');
    const expected =
      TF_MAIN.slice(0, cut).replace(/^  ([a-z_]+) +=/gm, (_m, name: string) => `  ${name.padEnd(37)} =`).replace(
        /(public_network_access_enabled +=) true\n/,
        '$1 false\n  network_security_group_rules_required = "NoAzureDatabricksRules"\n',
      ) + TF_MAIN.slice(cut);
    assert.equal(readFileSync(join(root, 'infra', 'main.tf'), 'utf8'), expected);
  });

  it('honours brickguard.json severities and excludes, and --config with any file name', () => {
    const root = project({
      'azuredeploy.json': INSECURE_ARM,
      'vendor/azuredeploy.json': INSECURE_ARM,
      'brickguard.json': '{\n  // CI settings\n  "rules": { "databricks-premium-sku": "off", "databricks-no-public-ip": "error" },\n  "exclude": ["vendor/"]\n}\n',
      'ci/strict.json': '{ "rules": { "databricks-public-network-access": "off" } }',
    });
    const report = JSON.parse(brickguard(root, 'scan', '--format', 'json').stdout) as JsonReport;
    assert.deepEqual(report.files.map((f) => f.path), ['azuredeploy.json']);
    assert.deepEqual(
      report.findings.map((f) => `${f.ruleId}:${f.severity}`).sort(),
      ['databricks-no-public-ip:error', 'databricks-public-network-access:warning'],
    );
    const explicit = JSON.parse(brickguard(root, 'scan', 'azuredeploy.json', '--config', 'ci/strict.json', '--format', 'json').stdout) as JsonReport;
    assert.deepEqual(explicit.findings.map((f) => f.ruleId).sort(), ['databricks-no-public-ip', 'databricks-premium-sku']);
  });
});

describe('brickguard.json naming an unknown rule', () => {
  const config = '{\n  "rules": {\n    "databricks-premium-sku": "off",\n    "no-such-rule": "off"\n  }\n}\n';

  it('is a brickguard-unknown-rule finding at its key in text, json and sarif, and counts for the exit code', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM, 'brickguard.json': config });
    const text = brickguard(root, 'scan');
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^brickguard\.json:4:5 +warning +brickguard-unknown-rule +Unknown rule 'no-such-rule'/m);
    assert.doesNotMatch(text.stderr, /no-such-rule/, 'not (also) a note on stderr');
    const json = JSON.parse(brickguard(root, 'scan', '--format', 'json').stdout) as JsonReport;
    const unknown = json.findings.filter((f) => f.ruleId === 'brickguard-unknown-rule');
    assert.deepEqual(
      unknown.map((f) => [f.path, f.severity, f.range.start.line, f.range.start.column, f.range.end.column]),
      [['brickguard.json', 'warning', 4, 5, 19]],
    );
    const sarif = JSON.parse(brickguard(root, 'scan', '--format', 'sarif').stdout) as SarifLog;
    const result = sarif.runs[0].results.find((r) => r.ruleId === 'brickguard-unknown-rule');
    assert.ok(result, 'a SARIF result');
    assert.equal(result.level, 'warning');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'brickguard.json');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 4);
    assert.equal(sarif.runs[0].tool.driver.rules[result.ruleIndex].id, 'brickguard-unknown-rule');
    // Alone it still fails the run at the default --min-severity, and passes at error.
    const alone = project({ 'brickguard.json': config, 'main.bicep': "param location string = 'westeurope'\n" });
    assert.equal(brickguard(alone, 'scan').code, 1);
    assert.equal(brickguard(alone, 'scan', '--min-severity', 'error').code, 0);
  });

  it('can be turned off or raised like any rule, in the file itself or a --config file', () => {
    const off = project({
      'azuredeploy.json': INSECURE_ARM,
      'brickguard.json': config.replace('"no-such-rule": "off"', '"no-such-rule": "off",\n    "brickguard-unknown-rule": "off"'),
      'ci.json': config.replace('"no-such-rule": "off"', '"no-such-rule": "off",\n    "brickguard-unknown-rule": "error"'),
    });
    const report = JSON.parse(brickguard(off, 'scan', '--format', 'json').stdout) as JsonReport;
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'brickguard-unknown-rule'), []);
    const strict = JSON.parse(brickguard(off, 'scan', 'azuredeploy.json', '--config', 'ci.json', '--format', 'json').stdout) as JsonReport;
    assert.deepEqual(
      strict.findings.filter((f) => f.ruleId === 'brickguard-unknown-rule').map((f) => [f.path, f.severity]),
      [['ci.json', 'error']],
    );
  });
});

describe('brickguard usage errors (exit 2)', () => {
  it('an invalid brickguard.json stops the run with its path, line and column', () => {
    const root = project({
      'azuredeploy.json': INSECURE_ARM,
      'brickguard.json': '{\n  "rules": {\n    "databricks-premium-sku": "loud"\n  }\n}\n',
    });
    const r = brickguard(root, 'scan');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /brickguard\.json:3:\d+: .*databricks-premium-sku/);
    assert.equal(r.stdout, '');
    // Not a usage mistake: no pointer to --help (its message says "must be").
    assert.match(r.stderr, /must be/);
    assert.doesNotMatch(r.stderr, /--help/);
  });

  it('a --config file that does not exist or does not parse', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM, 'bad.json': '{ "rules": [1, }' });
    const missing = brickguard(root, 'scan', '--config', 'nope.json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json/);
    const bad = brickguard(root, 'scan', '--config', 'bad.json');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json:1:\d+:/);
    for (const r of [missing, bad]) assert.doesNotMatch(r.stderr, /--help/);
  });

  it('an unreadable or missing path', () => {
    const root = project({ 'azuredeploy.json': INSECURE_ARM });
    const r = brickguard(root, 'scan', 'does-not-exist');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does-not-exist/);
    if (process.getuid?.() !== 0) {
      // Permissions do not stop root, so this part only runs as an ordinary user.
      chmodSync(join(root, 'azuredeploy.json'), 0o000);
      const denied = brickguard(root, 'scan', 'azuredeploy.json');
      chmodSync(join(root, 'azuredeploy.json'), 0o644);
      assert.equal(denied.code, 2);
      assert.match(denied.stderr, /azuredeploy\.json/);
    }
  });

  it('bad options and commands', () => {
    const root = project({});
    for (const args of [['scan', '--format', 'xml'], ['scan', '--min-severity', 'fatal'], ['scan', '--bogus'], ['scan', '--output'], ['frobnicate'], []]) {
      const r = brickguard(root, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.ok(r.stderr.length > 0, args.join(' '));
      if (args.length > 0) assert.match(r.stderr, /Run 'brickguard --help' for usage\./, args.join(' '));
    }
  });

  it('a named file that is not analysed is mentioned on stderr, not an error', () => {
    const root = project({ 'README.md': '# hi', 'notes.json': '{ "a": 1 }' });
    const r = brickguard(root, 'scan', 'README.md', 'notes.json');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /skipped README\.md: not a Bicep, ARM JSON or Terraform file/);
    assert.match(r.stderr, /skipped notes\.json: not a deployment template/);
    assert.match(r.stdout, /Scanned 0 files/);
  });

  it('--help and --version exit 0', () => {
    const root = project({});
    const help = brickguard(root, '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /brickguard scan/);
    assert.match(help.stdout, /--min-severity/);
    const version = brickguard(root, '--version');
    assert.equal(version.code, 0);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  });
});
