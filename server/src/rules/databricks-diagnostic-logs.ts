// databricks-diagnostic-logs: diagnostic settings send the workspace's audit categories somewhere.
import { lookup } from '../model/query';
import { KIND, type Resource, type VersionTriple } from '../model/types';
import { paramRef, resourceRef, type Fix, type FixIntent } from '../fixes/intent';
import { LINKS } from './links';
import { displayName } from './support/targets';
import type { Rule, RuleContext } from './types';
import { coversAudit, diagnosticSettings, missingCategories, settingLogs, settingTargets, type SettingLogs } from './support/diagnostics';
import { workspaces } from './support/workspace';
import { azurermVersionFor, whenAzurermHas, type VersionedFixes } from './support/azurerm';

export const rule: Rule = {
  meta: {
    id: 'databricks-diagnostic-logs',
    title: 'Workspace audit logs are not sent anywhere',
    pass: 'Audit logs are sent by a diagnostic setting',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.diagnosticLogDelivery,
    fixable: true,
    kinds: [KIND.workspace],
    crossResource: true,
    docs: {
      see: [{ title: 'Log categories', url: LINKS.diagnosticLogCategories }],
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
  const { fixes, related: versionRelated } = fixesFor(ctx, ws, targeting);
  const related = [...targeting.map((t) => ({ loc: { file: t.setting.file, span: t.setting.head }, message: why(t) })), ...versionRelated];
  const missing = missingCategories(categories);
  ctx.report({
    resource: ws,
    message:
      targeting.length === 0
        ? `No diagnostic setting targets workspace ${displayName(ws)}: add one with allLogs.`
        : counted.length === 0
          ? `No diagnostic setting of workspace ${displayName(ws)} has a destination, so audit logs are lost: set one.`
          : `The diagnostic settings of ${displayName(ws)} miss ${missing.length > 3 ? `${missing.length} audit categories` : `audit categories ${missing.join(', ')}`}. Send allLogs.`,
    related,
    fixes,
  });
}

const LAW_PARAMETER = { name: 'logAnalyticsWorkspaceId', description: 'Resource id of the Log Analytics workspace that receives the Databricks diagnostic logs.' };
const ALL_LOGS_ARM = [{ categoryGroup: 'allLogs', enabled: true }];
/** `enabled_log` with `category_group` exists from azurerm 3.39.0 (it replaced `log`). */
const ENABLED_LOG_SINCE: VersionTriple = [3, 39, 0];

/**
 * Without a setting: a new one (allLogs, Log Analytics) after the workspace. With settings that
 * have a destination: the first one's logs become allLogs. With settings and no destination: the
 * first one gets the Log Analytics destination and allLogs.
 */
function fixesFor(ctx: RuleContext, ws: Resource, targeting: SettingLogs[]): VersionedFixes {
  const candidates = targeting.filter((t) => !t.setting.conditional && !t.setting.loop && !t.unreadable);
  const existing = candidates.find((t) => t.destination) ?? (targeting.every((t) => !t.destination) ? candidates[0] : undefined);
  if (existing) return replaceLogs(ctx, ws, existing);
  if (targeting.length > 0 || ws.loop) return { fixes: [], related: [] };
  const intents: FixIntent[] = [
    { op: 'addParameter', as: 'law', near: ws, name: LAW_PARAMETER.name, type: 'string', description: LAW_PARAMETER.description },
    {
      op: 'addResource',
      as: 'diag',
      after: ws,
      kind: KIND.diagnosticSetting,
      apiVersion: '2021-05-01-preview',
      terraformType: 'azurerm_monitor_diagnostic_setting',
      name: 'audit-logs',
      symbol: 'auditLogs',
      scope: ws,
      body: {
        arm: { properties: { workspaceId: paramRef('law'), logs: ALL_LOGS_ARM } },
        terraform: {
          name: 'audit-logs',
          target_resource_id: resourceRef(ws),
          log_analytics_workspace_id: paramRef('law'),
          enabled_log: { $blocks: [{ category_group: 'allLogs' }] },
        },
      },
    },
  ];
  const fix: Fix = { title: 'Add a diagnostic setting that sends allLogs to a Log Analytics workspace (new parameter)', intents, preferred: !ws.conditional };
  // The Terraform setting is an azurerm resource, also beside an azapi workspace.
  return whenAzurermHas(ctx.unit, azurermVersionFor(ctx.unit, ws), ENABLED_LOG_SINCE, fix);
}

/** Replaces a setting's logs with allLogs (and gives it a Log Analytics destination when it has none). */
function replaceLogs(ctx: RuleContext, ws: Resource, t: SettingLogs): VersionedFixes {
  const s = t.setting;
  const intents: FixIntent[] = [];
  if (!t.destination) {
    intents.push({ op: 'addParameter', as: 'law', near: ws.dialect === s.dialect && ws.file === s.file ? ws : s, name: LAW_PARAMETER.name, type: 'string', description: LAW_PARAMETER.description });
    intents.push({ op: 'setRef', resource: s, path: s.schema === 'terraform' ? ['log_analytics_workspace_id'] : ['properties', 'workspaceId'], value: paramRef('law') });
  }
  if (s.schema === 'terraform') {
    for (const key of ['enabled_log', 'log']) if (lookup(s, [key]).state !== 'absent') intents.push({ op: 'remove', resource: s, path: [key] });
    intents.push({ op: 'addChild', as: 'allLogs', parent: s, childType: 'enabled_log', apiVersion: '', name: '', symbol: 'allLogs', terraformBlock: 'enabled_log', body: { terraform: { category_group: 'allLogs' } } });
  } else intents.push({ op: 'set', resource: s, path: ['properties', 'logs'], value: ALL_LOGS_ARM });
  const base = t.destination
    ? `Send allLogs from diagnostic setting ${displayName(s)} (replaces its log categories)`
    : `Send allLogs from diagnostic setting ${displayName(s)} to a Log Analytics workspace (new parameter)`;
  const fix: Fix = { title: base, intents, preferred: true };
  return s.schema === 'terraform' ? whenAzurermHas(ctx.unit, azurermVersionFor(ctx.unit, s), ENABLED_LOG_SINCE, fix) : { fixes: [fix], related: [] };
}

/** Why one setting does not make the rule pass, for related information. */
function why(t: SettingLogs): string {
  if (t.destination === false) return `diagnostic setting ${displayName(t.setting)} has no destination (workspaceId, storageAccountId, event hub or partner)`;
  const sent = [...t.categories];
  const notes = t.notes.length > 0 ? `; ${t.notes.join('; ')}` : '';
  return `diagnostic setting ${displayName(t.setting)} sends ${sent.length > 0 ? `only ${sent.join(', ')}` : 'no audit category'}${notes}`;
}
