// The GitHub Action's script run as the runner runs it (inputs as INPUT_* variables, GITHUB_OUTPUT),
// action.yml passing every input, and the pre-commit hook's definition and package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../helpers/corpus';
import { sarifProblems } from '../helpers/sarif';
import { INSECURE_ARM, TF_MAIN } from '../lsp/templates';

const folders: string[] = [];
after(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'brickguard-action-'));
  folders.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** Runs scripts/action.mjs in `cwd` with the inputs as the runner passes them. */
function runAction(cwd: string, inputs: Record<string, string>) {
  const output = join(cwd, '.github-output');
  const summary = join(cwd, '.github-summary');
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: cwd };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'action.mjs')], { cwd, env, encoding: 'utf8', timeout: 120000 });
  const outputs = Object.fromEntries(
    (existsSync(output) ? readFileSync(output, 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

const hasCli = existsSync(join(repoRoot, 'dist', 'cli.js'));
const skip = hasCli ? false : 'dist/cli.js is not built (npm test builds it); skipped';

describe('GitHub Action', () => {
  it('writes SARIF with the category, sets the outputs and fails on findings at min-severity', { skip }, () => {
    const cwd = workspace({ 'infra/azuredeploy.json': INSECURE_ARM, 'tf/main.tf': TF_MAIN, 'docs/readme.md': '# not scanned' });
    const r = runAction(cwd, { paths: 'infra\ntf\n', 'min-severity': 'warning', category: 'platform/databricks', 'sarif-file': 'out.sarif' });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /::error::Brickguard found problems at or above 'warning'/);
    assert.equal(r.outputs['sarif-file'], 'out.sarif');
    const log = JSON.parse(readFileSync(join(cwd, 'out.sarif'), 'utf8'));
    assert.deepEqual(sarifProblems(log, cwd), []);
    assert.equal(log.runs[0].automationDetails.id, 'platform/databricks/');
    assert.equal(Number(r.outputs.findings), log.runs[0].results.length);
    assert.ok(log.runs[0].results.length >= 3);
    const uris = new Set<string>(log.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri));
    assert.ok(uris.has('infra/azuredeploy.json') && [...uris].some((u) => u.startsWith('tf/')), [...uris].join(', '));
    assert.match(r.summary, /### Brickguard\n\nFindings: \d+ warning/);
  });

  it('passes when nothing reaches min-severity, and uses the defaults for absent inputs', { skip }, () => {
    const cwd = workspace({ 'azuredeploy.json': INSECURE_ARM });
    const r = runAction(cwd, { 'min-severity': 'error' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['sarif-file'], 'brickguard.sarif');
    const log = JSON.parse(readFileSync(join(cwd, 'brickguard.sarif'), 'utf8'));
    assert.equal(log.runs[0].automationDetails.id, 'brickguard/root/');
    assert.deepEqual(sarifProblems(log, cwd), []);
  });

  it('bad input is exit code 2, not a silent pass', { skip }, () => {
    const cwd = workspace({ 'azuredeploy.json': INSECURE_ARM });
    assert.equal(runAction(cwd, { 'min-severity': 'critical' }).code, 2);
  });

  it('action.yml is composite and hands every input to the script as INPUT_*', () => {
    const yml = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    assert.match(yml, /^runs:\n {2}using: composite$/m);
    const inputsBlock = yml.slice(yml.indexOf('\ninputs:\n'), yml.indexOf('\noutputs:\n'));
    const names = [...inputsBlock.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
    assert.deepEqual(names, ['paths', 'min-severity', 'category', 'sarif-file']);
    for (const name of names) assert.ok(yml.includes(`INPUT_${name.toUpperCase()}: \${{ inputs.${name} }}`), `action.yml passes ${name}`);
    assert.match(yml, /run: node "\$\{\{ github\.action_path \}\}\/scripts\/action\.mjs"/);
    assert.match(yml, /github\/codeql-action\/upload-sarif/);
    const script = readFileSync(join(repoRoot, 'scripts', 'action.mjs'), 'utf8');
    for (const name of names) assert.ok(script.includes(`input('${name}'`), `the script reads ${name}`);
    // The example workflow and the README give only inputs the action has, and upload the SARIF after it.
    for (const doc of [readFileSync(join(repoRoot, 'docs', 'ci', 'github-code-scanning.yml'), 'utf8'), readFileSync(join(repoRoot, 'README.md'), 'utf8')]) {
      const step = doc.slice(doc.indexOf('uses: brickguard/brickguard@'), doc.indexOf('upload-sarif@'));
      const given = [...step.matchAll(/^ +([a-z-]+): /gm)].map((m) => m[1]).filter((k) => k !== 'if' && k !== 'uses' && k !== 'name');
      assert.ok(given.length > 0 && given.every((k) => names.includes(k)), given.join(', '));
      assert.match(doc, /sarif_file: \$\{\{ steps\.brickguard\.outputs\.sarif-file \}\}/);
    }
    const ado = readFileSync(join(repoRoot, 'docs', 'ci', 'azure-pipelines.yml'), 'utf8');
    assert.match(ado, /ArtifactName: CodeAnalysisLogs/);
    assert.match(ado, /--format sarif/);
  });
});

describe('pre-commit hook', () => {
  it('.pre-commit-hooks.yaml defines brickguard: node, the template extensions, --min-severity warning', () => {
    const yaml = readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8');
    assert.match(yaml, /^- id: brickguard$/m);
    assert.match(yaml, /^ {2}language: node$/m);
    assert.match(yaml, /^ {2}entry: brickguard scan --min-severity warning$/m);
    const files = new RegExp(/^ {2}files: (.+)$/m.exec(yaml)![1]);
    for (const f of ['main.bicep', 'prod.bicepparam', 'infra/main.tf', 'terraform.tfvars', 'azuredeploy.json', 'x.jsonc']) assert.ok(files.test(f), f);
    for (const f of ['README.md', 'main.tf.bak', 'script.py']) assert.ok(!files.test(f), f);
  });

  it('npm pack (what pre-commit installs) carries the bin and the bundled CLI, which prepare builds', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    assert.equal(manifest.bin.brickguard, './bin/brickguard.js');
    assert.match(manifest.scripts.prepare, /scripts\/build\.mjs/);
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    assert.ok(files.includes('bin/brickguard.js') && files.includes('package.json'), files.join(', '));
    assert.ok(!hasCli || files.includes('dist/cli.js'), files.join(', '));
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('server/') || f === 'dist/client.js'), files.join(', '));
  });
});
