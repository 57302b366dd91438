// Every preferred fix on every finding of the real Databricks templates (../shared/corpus/databricks):
// the result parses, the finding is gone, no finding is added, applying fix-all again for it
// changes nothing, and Terraform files keep `terraform fmt` alignment (equal `=` columns within a
// run of single-line attributes). Then `scan --fix` on a copy of the corpus: what it reports as
// fixed is what disappeared, and the fix-safety counts of rules.md (*Fix safety*) are zero: among
// them, public access goes off only on serverless workspaces or VNet-injected ones with a UI/API endpoint.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost, findingIdentity, overlayHost } from '../../server/src/engine';
import { revealedBy } from '../helpers/fixtures';
import type { AnalysisResult, Finding } from '../../server/src/engine/types';
import { lookup, asString, parseApiVersion } from '../../server/src/model/query';
import { KIND, type Unit } from '../../server/src/model/types';
import { parseHcl, type Attribute, type Body } from '../../server/src/syntax/hcl';
import { LineIndex, applyEdits } from '../../server/src/text';
import { scanAndFix } from '../../server/src/cli/scan';
import { corpusFiles, corpusOrSkip, corpusRoot } from '../helpers/corpus';
import { isServerless } from '../../server/src/rules/support/workspace';

const corpus = corpusOrSkip();
const skip = 'skip' in corpus ? corpus.skip : false;

/** Lines (0-based) of single-line attribute runs whose `=` columns differ, in a Terraform text. */
export function fmtViolations(text: string): { line: number; run: string[] }[] {
  const { tree: file } = parseHcl(text);
  const index = new LineIndex(text);
  const out: { line: number; run: string[] }[] = [];
  const visitBody = (body: Body) => {
    const attrs = body.items;
    let run: Attribute[] = [];
    const flush = () => {
      // fmt aligns a run of consecutive single-line attributes; a multi-line value ends the run it starts on.
      const cols = new Set(run.map((a) => index.positionAt(a.equals.span.start).character));
      if (run.length > 1 && cols.size > 1) out.push({ line: index.positionAt(run[0].span.start).line, run: run.map((a) => a.name.text) });
      run = [];
    };
    let lastLine = -2;
    for (const item of attrs) {
      if (item.kind !== 'Attribute') {
        flush();
        if (item.kind === 'Block') visitBody(item.body);
        lastLine = -2;
        continue;
      }
      const start = index.positionAt(item.span.start).line;
      const end = index.positionAt(item.span.end).line;
      if (start !== lastLine + 1) flush();
      run.push(item);
      if (end !== start) {
        flush();
        lastLine = -2;
      } else lastLine = end;
    }
    flush();
  };
  visitBody(file.body);
  return out;
}

function entryFiles(): string[] {
  const tfDirs = new Set<string>();
  const out: string[] = [];
  for (const f of corpusFiles('databricks', (n) => /\.(tf|bicep|json)$/.test(n))) {
    if (f.endsWith('.tf')) {
      if (!tfDirs.has(dirname(f))) out.push(f);
      tfDirs.add(dirname(f));
    } else out.push(f);
  }
  return out;
}

function ownFindings(r: AnalysisResult): Finding[] {
  const own = new Set(r.unit.ownFiles);
  return r.findings.filter((f) => own.has(f.file) && f.ruleId.indexOf('brickguard-') !== 0);
}

test('every preferred fix on the corpus parses, clears its finding, adds none, is idempotent and keeps fmt alignment', { skip }, () => {
  const host = diskHost([corpusRoot]);
  const problems: string[] = [];
  let fixes = 0;
  for (const entry of entryFiles()) {
    const result = analyzePath(entry, host);
    if (!result) continue;
    const before = new Set(ownFindings(result).map(findingIdentity));
    // A rule that did not apply to the resource before (public access off brings in browser
    // authentication) is a check revealed, not a problem made.
    const revealed = revealedBy(result);
    for (const finding of ownFindings(result)) {
      const fix = finding.fixes.find((x) => x.kind === 'fix' && x.preferred);
      if (!fix) continue;
      fixes++;
      const where = `${finding.ruleId} in ${finding.file.slice(corpusRoot.length + 1)} (${fix.title})`;
      const texts = new Map<string, string>();
      for (const file of new Set(fix.edits.map((e) => e.file))) {
        const text = result.files.find((f) => f.path === file)?.text ?? host.readFile(file) ?? '';
        texts.set(file, applyEdits(text, fix.edits.filter((e) => e.file === file)));
      }
      const again = analyzePath(entry, overlayHost(host, texts));
      if (!again) {
        problems.push(`${where}: no longer analysed`);
        continue;
      }
      for (const [file] of texts) {
        const errorsBefore = result.files.find((f) => f.path === file)?.syntaxErrors.length ?? 0;
        const errorsAfter = again.files.find((f) => f.path === file)?.syntaxErrors.length ?? 0;
        if (errorsAfter > errorsBefore) problems.push(`${where}: ${basename(file)} no longer parses`);
        if (/\.(tf|tfvars)$/.test(file)) {
          const was = fmtViolations(result.files.find((f) => f.path === file)?.text ?? host.readFile(file) ?? '').length;
          const now = fmtViolations(texts.get(file)!);
          if (now.length > was) problems.push(`${where}: ${basename(file)} loses fmt alignment (${JSON.stringify(now)})`);
        }
      }
      const after = ownFindings(again);
      if (after.some((f) => findingIdentity(f) === findingIdentity(finding))) problems.push(`${where}: the finding is still there`);
      const added = after.filter((f) => !before.has(findingIdentity(f)) && !revealed(f));
      if (added.length > 0) problems.push(`${where}: adds ${added.map((f) => `${f.ruleId} ${f.property ?? ''}`).join(', ')}`);
      const same = after.find((f) => f.ruleId === finding.ruleId && f.resourceKey === finding.resourceKey && f.property === finding.property);
      if (same?.fixes.some((x) => x.kind === 'fix' && x.preferred)) problems.push(`${where}: offered again after it was applied`);
    }
  }
  assert.ok(fixes > 20, `only ${fixes} preferred fixes in the corpus`);
  assert.deepEqual(problems, []);
});

/**
 * A Terraform object reached through a storage account's data plane: a container, share or queue
 * by storage_account_name, or a table, blob, file, entity or Data Lake object.
 */
const DATA_PLANE_OBJECT =
  /(resource|data)\s+"azurerm_storage_(container|share|queue)"\s+"[^"]+"\s*\{(?:(?!\n\})[\s\S])*?storage_account_name|(resource|data)\s+"azurerm_storage_(table|table_entit(y|ies)|blob|share_file|share_directory|data_lake_gen2_\w+|account_queue_properties|account_static_website|account_table_properties)"/;

/** What `scan --fix` did on a copy of the corpus, against the contract of rules.md *Fix safety*. */
export function fixSafetyCounts(root: string): Record<string, number> {
  const originals = new Map<string, string>();
  for (const f of corpusFiles('databricks', () => true)) originals.set(join(root, f.slice(join(corpusRoot, 'databricks').length + 1)), readFileSync(f, 'utf8'));
  const { report, fixed } = scanAndFix({ paths: ['.'], cwd: root });
  const counts = {
    publicAccessChanged: 0,
    publicAccessUnsafe: 0,
    apiVersionViolations: 0,
    tfvarsOverriddenDefaultsEdited: 0,
    fmtViolations: 0,
    reportedFixedButPresent: 0,
    sharedKeyOffWithoutAzureAd: 0,
    storageClosedTerraform: 0,
    storageClosedWithDataPlane: 0,
  };
  const host = diskHost([root]);
  const seen = new Set<string>();
  for (const [path, before] of originals) {
    const after = readFileSync(path, 'utf8');
    if (after === before) continue;
    if (/\.tf$/.test(path) && fmtViolations(after).length > fmtViolations(before).length) counts.fmtViolations++;
    if (/\.tf$/.test(path) && /shared_access_key_enabled\s*=\s*false/.test(after) && !/shared_access_key_enabled\s*=\s*false/.test(before)) {
      const folder = [...originals.keys()].filter((p) => dirname(p) === dirname(path) && p.endsWith('.tf')).map((p) => readFileSync(p, 'utf8')).join('\n');
      if (!/storage_use_azuread\s*=\s*true/.test(folder)) counts.sharedKeyOffWithoutAzureAd++;
    }
    if (/\.tf$/.test(path)) {
      // A storage firewall closed where the folder manages objects through the account's data plane.
      const closed = (text: string) => [...text.matchAll(/default_action\s*=\s*"Deny"/g)].length - [...text.matchAll(/network_acls\s*\{[^}]*default_action\s*=\s*"Deny"/g)].length;
      const newly = closed(after) - closed(before);
      if (newly > 0) {
        counts.storageClosedTerraform += newly;
        const folder = [...originals.keys()].filter((p) => dirname(p) === dirname(path) && p.endsWith('.tf')).map((p) => readFileSync(p, 'utf8')).join('\n');
        if (DATA_PLANE_OBJECT.test(folder)) counts.storageClosedWithDataPlane += newly;
      }
    }
    if (!/\.(tf|bicep|json)$/.test(path)) continue;
    const result = analyzePath(path, host);
    const previous = analyzePath(path, overlayHost(host, new Map([...originals].filter(([p]) => dirname(p) === dirname(path) || p === path))));
    if (!result || !previous || seen.has(result.unit.root)) continue;
    seen.add(result.unit.root);
    for (const ws of result.unit.resources.filter((r) => r.kind === KIND.workspace && !r.existing && r.file === path)) {
      const old = previous.unit.resources.find((r) => r.kind === ws.kind && r.symbolicName === ws.symbolicName && r.file === ws.file);
      if (!old) continue;
      if (isPublicOff(ws.schema, lookupAccess(result.unit, ws)) && !isPublicOff(ws.schema, lookupAccess(previous.unit, old))) {
        counts.publicAccessChanged++;
        if (!isServerless(ws) && (!vnetInjected(ws) || !hasUiApiEndpoint(result.unit))) counts.publicAccessUnsafe++;
      }
      if (ws.schema === 'arm') {
        const api = parseApiVersion(ws.apiVersion);
        const newer = ['publicNetworkAccess', 'requiredNsgRules'].some((p) => lookup(ws, ['properties', p]).state === 'set' && lookup(old, ['properties', p]).state !== 'set');
        if (newer && api && api.date < '2021-04-01') counts.apiVersionViolations++;
      }
    }
    // A variable default edited while a tfvars of the folder sets it.
    if (path.endsWith('.tf')) {
      const dir = dirname(path);
      const setByTfvars = new Set<string>();
      for (const [p, text] of originals) if (dirname(p) === dir && /(^|\/)(terraform\.tfvars|[^/]*\.auto\.tfvars)$/.test(p)) for (const m of text.matchAll(/^\s*([A-Za-z_][\w-]*)\s*=/gm)) setByTfvars.add(m[1]);
      for (const m of after.matchAll(/variable\s+"([^"]+)"\s*\{[^}]*?default\s*=\s*([^\n]*)/g)) {
        const old = new RegExp(`variable\\s+"${m[1]}"\\s*\\{[^}]*?default\\s*=\\s*([^\\n]*)`).exec(before);
        if (old && old[1] !== m[2] && setByTfvars.has(m[1])) counts.tfvarsOverriddenDefaultsEdited++;
      }
    }
  }
  const remaining = new Set(report.findings.map((f) => `${f.file}\0${f.ruleId}`));
  for (const f of fixed) for (const id of f.ruleIds) if (remaining.has(`${f.path}\0${id}`)) counts.reportedFixedButPresent++;
  return counts;
}

function lookupAccess(unit: Unit, ws: Unit['resources'][number]) {
  const r = unit.resources.find((x) => x.id === ws.id) ?? ws;
  return ws.schema === 'arm' ? lookup(r, ['properties', 'publicNetworkAccess']) : lookup(r, ['public_network_access_enabled']);
}

function isPublicOff(schema: string, l: ReturnType<typeof lookup>): boolean {
  if (l.state !== 'set') return false;
  return schema === 'arm' ? asString(l.value)?.toLowerCase() === 'disabled' : l.value.kind === 'bool' && !l.value.value;
}

function vnetInjected(ws: Unit['resources'][number]): boolean {
  if (ws.schema === 'arm') return lookup(ws, ['properties', 'parameters', 'customVirtualNetworkId']).state !== 'absent';
  return lookup(ws, ['custom_parameters', 'virtual_network_id']).state !== 'absent';
}

function hasUiApiEndpoint(unit: Unit): boolean {
  return unit.resources.some((r) => r.kind === KIND.privateEndpoint && JSON.stringify(r.body, (k, v) => (k === 'loc' || k === 'handle' || k === 'origin' || k === 'target' ? undefined : v)).includes('databricks_ui_api'));
}

test('scan --fix on a copy of the corpus: safe by rules.md Fix safety, and it reports what disappeared', { skip }, (t) => {
  const root = mkdtempSync(join(tmpdir(), 'brickguard-safety-'));
  try {
    cpSync(join(corpusRoot, 'databricks'), root, { recursive: true });
    const counts = fixSafetyCounts(root);
    t.diagnostic(JSON.stringify(counts));
    console.log(`scan --fix on the corpus: public access turned off on ${counts.publicAccessChanged} workspace(s), ${counts.publicAccessUnsafe} of them unsafe`);
    assert.equal(counts.publicAccessUnsafe, 0, 'public access turned off on a classic workspace that is not VNet-injected or has no UI/API endpoint');
    assert.equal(counts.apiVersionViolations, 0, 'a property landed in an apiVersion that lacks it');
    assert.equal(counts.tfvarsOverriddenDefaultsEdited, 0, 'a variable default that a tfvars overrides was edited');
    assert.equal(counts.fmtViolations, 0, 'a Terraform file lost fmt alignment');
    assert.equal(counts.reportedFixedButPresent, 0, '--fix reported as fixed a finding that is still there');
    assert.equal(counts.sharedKeyOffWithoutAzureAd, 0, 'shared key access turned off where the azurerm provider still uses keys');
    console.log(`scan --fix on the corpus: ${counts.storageClosedTerraform} Terraform storage firewall(s) closed, ${counts.storageClosedWithDataPlane} beside data-plane objects`);
    assert.equal(counts.storageClosedWithDataPlane, 0, 'a storage firewall closed where Terraform manages objects through its data plane');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
