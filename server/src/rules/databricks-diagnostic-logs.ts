// databricks-diagnostic-logs: diagnostic settings send the workspace's audit categories somewhere.
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import { displayName } from './support/targets';
import type { Rule, RuleContext } from './types';
import { coversAudit, diagnosticSettings, missingCategories, settingLogs, settingTargets, type SettingLogs } from './support/diagnostics';
import { workspaces } from './support/workspace';

export const rule: Rule = {
  meta: {
    id: 'databricks-diagnostic-logs',
    title: 'Workspace audit logs are not sent anywhere',
    pass: 'Audit logs are sent by a diagnostic setting',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.diagnosticLogDelivery,
    fixable: false,
    kinds: [KIND.workspace],
    docs: {
      why:
        'Diagnostic logs record who signed in, ran notebooks, read secrets and changed permissions; without a diagnostic setting they are not kept anywhere you can query. ' +
        'Send `allLogs` (Databricks has no `audit` category group) or at least the audit categories to Log Analytics, a storage account or an event hub.',
      secure: {
        arm: '{\n  "type": "Microsoft.Insights/diagnosticSettings",\n  "scope": "[resourceId(\'Microsoft.Databricks/workspaces\', parameters(\'workspaceName\'))]",\n  "properties": {\n    "workspaceId": "[parameters(\'logAnalyticsWorkspaceId\')]",\n    "logs": [{ "categoryGroup": "allLogs", "enabled": true }]\n  }\n}',
        bicep: "resource diag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {\n  scope: ws\n  name: 'audit'\n  properties: {\n    workspaceId: logAnalyticsWorkspaceId\n    logs: [{ categoryGroup: 'allLogs', enabled: true }]\n  }\n}",
        terraform: 'resource "azurerm_monitor_diagnostic_setting" "audit" {\n  target_resource_id         = azurerm_databricks_workspace.this.id\n  log_analytics_workspace_id = var.log_analytics_workspace_id\n  enabled_log {\n    category_group = "allLogs"\n  }\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    const settings = diagnosticSettings(ctx);
    for (const ws of workspaces(ctx)) check(ctx, ws, settings);
  },
};

function check(ctx: RuleContext, ws: Resource, settings: Resource[]): void {
  const targeting: SettingLogs[] = [];
  let maybe = false;
  for (const s of settings) {
    const d = settingTargets(s, ws);
    if (d === 'unknown') maybe = true;
    if (d !== 'yes') continue;
    targeting.push(settingLogs(s));
  }
  const counted = targeting.filter((t) => t.destination === true && !t.setting.conditional);
  const categories = new Set(counted.flatMap((t) => [...t.categories]));
  const allLogs = counted.find((t) => t.allLogs);
  if (allLogs) return ctx.satisfiedBy(ws, [allLogs.setting]);
  if (coversAudit(false, categories)) return ctx.satisfiedBy(ws, counted.filter((t) => t.categories.size > 0).map((t) => t.setting));
  if (maybe || targeting.some((t) => t.unreadable || (t.setting.conditional && t.destination))) {
    return ctx.unverified(ws, 'a diagnostic setting has a target, destination or logs that cannot be evaluated');
  }
  const related = targeting.map((t) => ({ loc: { file: t.setting.file, span: t.setting.head }, message: why(t) }));
  const missing = missingCategories(categories);
  ctx.report({
    resource: ws,
    message:
      targeting.length === 0
        ? `No diagnostic setting targets workspace ${displayName(ws)}: add one with allLogs.`
        : counted.length === 0
          ? `No diagnostic setting of workspace ${displayName(ws)} has a destination: its audit logs are not kept. Set one.`
          : `The diagnostic settings of ${displayName(ws)} miss ${missing.length > 3 ? `${missing.length} audit categories` : `audit categories ${missing.join(', ')}`}. Send allLogs.`,
    related,
    fixes: [],
  });
}

/** Why one setting does not make the rule pass, for related information. */
function why(t: SettingLogs): string {
  if (t.destination === false) return `diagnostic setting ${displayName(t.setting)} has no destination (workspaceId, storageAccountId, event hub or partner)`;
  const sent = [...t.categories];
  const notes = t.notes.length > 0 ? `; ${t.notes.join('; ')}` : '';
  return `diagnostic setting ${displayName(t.setting)} sends ${sent.length > 0 ? `only ${sent.join(', ')}` : 'no audit category'}${notes}`;
}
