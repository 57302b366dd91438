// Diagnostic settings of a deployment and what they send for a workspace: ARM/Bicep `scope`,
// the nested type `Microsoft.Databricks/workspaces/providers/diagnosticSettings`, azapi `parent_id`,
// Terraform `target_resource_id`; destinations; `allLogs` or the audit categories.
import { asBool, asString, lookup, lookupIn } from '../../model/query';
import { KIND, type ObjectValue, type Resource, type Value } from '../../model/types';
import type { RuleContext } from '../types';
import { entries } from './network';
import { designates, namedUnder, type Designation } from './targets';

/** Categories of Microsoft.Databricks/workspaces logs that together make the audit trail (rules.md). */
export const AUDIT_CATEGORIES = ['accounts', 'clusters', 'dbfs', 'jobs', 'notebook', 'secrets', 'sqlPermissions', 'workspace'];

const NESTED_KIND = `${KIND.workspace}/providers/diagnosticSettings`;
const ARM_DESTINATIONS = ['workspaceId', 'storageAccountId', 'eventHubAuthorizationRuleId', 'marketplacePartnerId'];
const TF_DESTINATIONS = ['log_analytics_workspace_id', 'storage_account_id', 'eventhub_authorization_rule_id', 'partner_solution_id'];

/** What one setting sends. */
export interface SettingLogs {
  setting: Resource;
  /** Whether a destination is set. */
  destination: boolean;
  allLogs: boolean;
  /** Enabled categories, lower-cased. */
  categories: Set<string>;
  /** The logs could not be read completely. */
  unreadable: boolean;
  /** Why an entry did not count (disabled allLogs, `audit`, legacy `log` under azurerm 4). */
  notes: string[];
}

/** Diagnostic settings resources of the unit (both ARM kinds). */
export function diagnosticSettings(ctx: RuleContext): Resource[] {
  return [...ctx.resources(KIND.diagnosticSetting), ...ctx.resources(NESTED_KIND)];
}

/** Whether a setting is attached to the workspace. */
export function settingTargets(setting: Resource, ws: Resource): Designation {
  if (setting.kind.toLowerCase() === NESTED_KIND.toLowerCase()) {
    if (setting.parent) return setting.parent === ws ? 'yes' : 'no';
    return namedUnder(setting, ws);
  }
  if (setting.schema === 'terraform') return designates(targetValue(setting), ws);
  if (setting.scope) return designates(setting.scope, ws);
  return 'no'; // no scope: a setting of the resource group / subscription deployment scope
}

function targetValue(setting: Resource): Value | undefined {
  const t = lookup(setting, ['target_resource_id']);
  return t.state === 'set' || t.state === 'unknown' ? t.value : undefined;
}

/** What a setting sends, with azurerm's major version deciding whether legacy `log` blocks count. */
export function settingLogs(setting: Resource): SettingLogs {
  const out: SettingLogs = { setting, destination: false, allLogs: false, categories: new Set(), unreadable: false, notes: [] };
  const tf = setting.schema === 'terraform';
  for (const key of tf ? TF_DESTINATIONS : ARM_DESTINATIONS) {
    const d = lookup(setting, tf ? [key] : ['properties', key]);
    // A destination written as an expression we can't evaluate (a parameter, an output) is still a destination.
    if (d.state === 'unknown') out.destination = true;
    else if (d.state === 'set' && d.value.kind !== 'null' && !(d.value.kind === 'string' && d.value.value === '')) out.destination = true;
  }
  const add = (entry: ObjectValue, enabledDefault: boolean, label: string) => {
    const group = lookupIn(entry, [tf ? 'category_group' : 'categoryGroup'], !tf);
    const category = lookupIn(entry, ['category'], !tf);
    const enabled = lookupIn(entry, ['enabled'], !tf);
    if (group.state === 'unknown' || category.state === 'unknown' || enabled.state === 'unknown') {
      out.unreadable = true;
      return;
    }
    const on = enabled.state === 'set' ? asBool(enabled.value) : enabledDefault;
    if (on === undefined && enabled.state === 'set' && enabled.value.kind !== 'null') {
      out.unreadable = true;
      return;
    }
    const g = group.state === 'set' ? asString(group.value) : undefined;
    const c = category.state === 'set' ? asString(category.value) : undefined;
    if (on === false) {
      if (g || c) out.notes.push(`${label} '${g ?? c}' is disabled`);
      return;
    }
    if (g !== undefined) {
      if (g.toLowerCase() === 'alllogs') out.allLogs = true;
      else out.notes.push(`category group '${g}' is not allLogs (Databricks has no audit group)`);
    }
    if (c !== undefined) out.categories.add(c.toLowerCase());
  };
  if (tf) {
    for (const key of ['enabled_log', 'log']) {
      const l = lookup(setting, [key]);
      if (l.state === 'absent') continue;
      if (l.state === 'unknown') {
        out.unreadable = true;
        continue;
      }
      if (key === 'log') {
        const major = setting.providerVersion?.major;
        if (major === undefined) {
          out.unreadable = true;
          continue;
        }
        if (major >= 4) {
          out.notes.push('legacy log blocks were removed in azurerm 4.0 and do not count');
          continue;
        }
      }
      for (const e of entries(l.value)) {
        if (e.kind === 'object') add(e, true, key === 'log' ? 'log' : 'enabled_log');
        else out.unreadable = true;
      }
    }
    return out;
  }
  const logs = lookup(setting, ['properties', 'logs']);
  if (logs.state === 'unknown') out.unreadable = true;
  else if (logs.state === 'set') {
    if (logs.value.kind !== 'array') out.unreadable = logs.value.kind !== 'null';
    else
      for (const e of logs.value.items) {
        if (e.kind === 'object') add(e, true, 'log');
        else out.unreadable = true;
      }
  }
  return out;
}

/** Whether a set of enabled categories (with or without allLogs) covers the audit trail. */
export function coversAudit(allLogs: boolean, categories: Set<string>): boolean {
  return allLogs || AUDIT_CATEGORIES.every((c) => categories.has(c.toLowerCase()));
}

/** The audit categories missing from a set. */
export function missingCategories(categories: Set<string>): string[] {
  return AUDIT_CATEGORIES.filter((c) => !categories.has(c.toLowerCase()));
}
