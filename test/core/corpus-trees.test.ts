// Deployments as trees over the real templates in ../shared/corpus/databricks: the Azure Verified
// Module tests judge the module with the parameters they bind (its loops over private endpoints and
// diagnostic settings included; nullable parameters they leave out are null), the AVM Terraform
// module is judged per example with its for_each over variables, and the quickstart private
// endpoint templates have their endpoint.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzePath, diskHost } from '../../server/src/engine';
import { scan } from '../../server/src/cli/scan';
import { corpusRoot } from '../helpers/corpus';

const CORPUS = join(corpusRoot, 'databricks');
const AVM = join(CORPUS, 'bicep/bicep-registry-modules/avm/res/databricks/workspace');
const AVM_TF = join(CORPUS, 'terraform/terraform-azurerm-avm-res-databricks-workspace');
const QUICKSTARTS = [
  join(CORPUS, 'bicep/azure-quickstart-templates/quickstarts/microsoft.databricks'),
  join(CORPUS, 'arm/azure-quickstart-templates/quickstarts/microsoft.databricks'),
];

const RULES = ['databricks-vnet-injection', 'databricks-private-endpoint', 'databricks-browser-auth-endpoint', 'databricks-private-dns-zone', 'databricks-diagnostic-logs'];

/** `rule: message` of the findings of these rules located in `file`, judged in the deployment of `root`. */
function judged(root: string, file: string, boundary: string): string[] {
  const result = analyzePath(root, diskHost([boundary]), { reportCalled: true });
  assert.ok(result, root);
  return result.findings
    .filter((f) => f.file === file && RULES.includes(f.ruleId))
    .map((f) => `${f.ruleId}: ${f.message}`)
    .sort();
}

test('corpus: each AVM e2e test judges main.bicep with the parameters it binds', (t) => {
  if (!existsSync(AVM)) return t.skip('the corpus (../shared/corpus) is absent');
  const boundary = join(CORPUS, 'bicep/bicep-registry-modules');
  const main = join(AVM, 'main.bicep');
  const e2e = (name: string) => judged(join(AVM, 'tests/e2e', name, 'main.test.bicep'), main, boundary);
  // defaults binds neither privateEndpoints nor diagnosticSettings (nullable, so null): both are missing.
  const defaults = e2e('defaults');
  assert.ok(defaults.some((f) => f.startsWith('databricks-private-endpoint:')), defaults.join('\n'));
  assert.ok(defaults.some((f) => /^databricks-diagnostic-logs: No diagnostic setting/.test(f)), defaults.join('\n'));
  // max binds a private endpoint (the AVM private-endpoint module, in a loop) and a setting with only jobs and notebook.
  const max = e2e('max');
  assert.ok(!max.some((f) => f.startsWith('databricks-private-endpoint:')), max.join('\n'));
  assert.ok(max.some((f) => /^databricks-diagnostic-logs: .*miss 6 audit categories/.test(f)), max.join('\n'));
  // waf-aligned: UI/API endpoint and public access off, no browser_authentication endpoint.
  const waf = e2e('waf-aligned');
  assert.ok(!waf.some((f) => f.startsWith('databricks-private-endpoint:')), waf.join('\n'));
  assert.ok(waf.some((f) => f.startsWith('databricks-browser-auth-endpoint:')), waf.join('\n'));
});

test('corpus: scanning the AVM module folder reports main.bicep only through its e2e tests, at their module declarations where they disagree', (t) => {
  if (!existsSync(AVM)) return t.skip('the corpus (../shared/corpus) is absent');
  const alone = analyzePath(join(AVM, 'main.bicep'), diskHost([AVM]))!;
  const aloneRules = new Set(alone.findings.map((f) => f.ruleId));
  assert.ok(!aloneRules.has('databricks-private-endpoint'), 'alone, the nullable privateEndpoints is unknown: no verdict');
  const report = scan({ paths: [AVM], cwd: AVM, root: join(CORPUS, 'bicep/bicep-registry-modules') });
  // The e2e tests disagree on the endpoint and the diagnostic setting (defaults / cmk tests: no
  // endpoint, no setting; max and waf-aligned: an endpoint, a setting with too few categories):
  // each failing test is told at its module declaration, once per rule, and main.bicep keeps none.
  const inMain = report.findings.filter((f) => f.file === join(AVM, 'main.bicep') && RULES.includes(f.ruleId));
  assert.deepEqual(inMain.map((f) => f.ruleId), []);
  const atTest = (name: string, rule: string) =>
    report.findings
      .filter((f) => f.file === join(AVM, 'tests/e2e', name, 'main.test.bicep') && f.ruleId === rule)
      .map((f) => `${report.texts.get(f.file)!.slice(f.span.start, f.span.end)}: ${f.message}`);
  assert.deepEqual(atTest('defaults', 'databricks-private-endpoint'), ["testDeployment: No 'databricks_ui_api' private endpoint targets workspace workspace: add one."]);
  assert.deepEqual(atTest('defaults', 'databricks-diagnostic-logs'), ['testDeployment: No diagnostic setting targets workspace workspace: add one with allLogs.']);
  assert.deepEqual(atTest('max', 'databricks-private-endpoint'), []);
  assert.deepEqual(atTest('max', 'databricks-diagnostic-logs'), ['testDeployment: The diagnostic settings of workspace miss 6 audit categories. Send allLogs.']);
  assert.deepEqual(atTest('waf-aligned', 'databricks-diagnostic-logs'), ['testDeployment: The diagnostic settings of workspace miss 6 audit categories. Send allLogs.']);
});

test('corpus: the AVM Terraform module is judged per example, with for_each over its variables', (t) => {
  if (!existsSync(AVM_TF)) return t.skip('the corpus (../shared/corpus) is absent');
  const main = join(AVM_TF, 'main.tf');
  const example = (name: string) => judged(join(AVM_TF, 'examples', name, 'main.tf'), main, AVM_TF);
  const byRule = (findings: string[]) => findings.map((f) => f.split(':')[0]);
  assert.deepEqual(byRule(example('default')), ['databricks-diagnostic-logs', 'databricks-private-endpoint']);
  assert.deepEqual(byRule(example('private-endpoint')), ['databricks-diagnostic-logs'], 'the endpoint from var.private_endpoints counts');
  assert.deepEqual(byRule(example('diagnostic-settings')), ['databricks-private-endpoint'], 'the setting from var.diagnostic_settings (log_groups defaults to allLogs) counts');
  // Endpoints whose DNS zone group is managed elsewhere are not created by any example.
  const dns = judged(join(AVM_TF, 'examples', 'private-endpoint', 'main.tf'), join(AVM_TF, 'main.privateendpoint.tf'), AVM_TF);
  assert.deepEqual(dns, []);
});

test('corpus: the quickstart private endpoint and private link templates get no databricks-private-endpoint finding', (t) => {
  if (!existsSync(QUICKSTARTS[0])) return t.skip('the corpus (../shared/corpus) is absent');
  let checked = 0;
  for (const dir of QUICKSTARTS) {
    const report = scan({ paths: [dir], cwd: dir, root: dir });
    for (const file of report.files.map((f) => f.path).filter((p) => /privateendpoint|private-link/.test(p) && !/\.parameters\.json$/.test(p))) {
      checked++;
      const pe = report.findings.filter((f) => f.file === file && f.ruleId === 'databricks-private-endpoint');
      assert.deepEqual(pe.map((f) => f.message), [], file);
    }
  }
  assert.ok(checked >= 5, `${checked} private endpoint / private link templates`);
});
