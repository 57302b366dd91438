// databricks-ip-access-list: a workspace reachable from the internet restricts its front end with
// IP access lists (enabled in workspace_conf, with at least one ALLOW list).
import { asBool, asString, lookup } from '../model/query';
import type { Resource } from '../model/types';
import type { Located } from '../text';
import { LINKS } from './links';
import type { Report, Rule, RuleContext } from './types';
import { databricksResources } from './support/databricks-provider';
import { workspaces } from './support/workspace';
import { message } from './support/message';

const FLAG = 'enableIpAccessLists';

export const rule: Rule = {
  meta: {
    id: 'databricks-ip-access-list',
    title: 'Public workspace without IP access lists',
    pass: 'IP access lists restrict the public workspace',
    severity: 'warning',
    dialects: ['terraform'],
    helpUri: LINKS.ipAccessLists,
    fixable: true,
    kinds: ['Microsoft.Databricks/workspaces', 'databricks_workspace_conf'],
    docs: {
      why:
        'A workspace with public network access accepts sign-ins and API calls, including stolen tokens, from any address on the internet. ' +
        'IP access lists restrict the web UI and REST API to your corporate, VPN and CI egress ranges; they need the enableIpAccessLists workspace setting and at least one ALLOW list.',
      secure: {
        terraform:
          'resource "databricks_workspace_conf" "this" {\n  custom_config = {\n    "enableIpAccessLists" = true\n  }\n}\n\nresource "databricks_ip_access_list" "corp" {\n  label        = "corporate"\n  list_type    = "ALLOW"\n  ip_addresses = var.allowed_cidrs\n  depends_on   = [databricks_workspace_conf.this]\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    // Only a module that configures the workspace through the databricks provider can set IP access lists.
    // (A data source only reads; databricks_mws_* resources configure the account, not a workspace.)
    const configures = ctx.unit.resources.some((r) => !r.existing && r.kind.startsWith('databricks_') && !r.kind.startsWith('databricks_mws_'));
    if (!configures) {
      for (const ws of workspaces(ctx)) ctx.notApplicable(ws, 'no databricks provider resource configures the workspace here');
      return;
    }
    const publicWorkspaces = workspaces(ctx).filter((ws) => ws.schema === 'terraform' && publicAccessOn(ctx, ws));
    for (const ws of workspaces(ctx)) if (!publicWorkspaces.includes(ws)) ctx.notApplicable(ws, 'public network access is off');
    if (publicWorkspaces.length === 0) return;
    const verdict = ipAccessListsEnabled(ctx);
    if (verdict === 'unknown') {
      for (const ws of publicWorkspaces) ctx.unverified(ws, 'whether IP access lists are enabled cannot be evaluated');
      return;
    }
    if ('by' in verdict) {
      for (const ws of publicWorkspaces) ctx.satisfiedBy(ws, verdict.by);
      return;
    }
    // A finding about a workspace_conf is reported once; one about a missing setting, on each public workspace.
    if (verdict.resource) ctx.report({ ...verdict, resource: verdict.resource });
    else for (const ws of publicWorkspaces) ctx.report({ ...verdict, resource: ws });
  },
};

/** Public network access of an azurerm workspace: on unless public_network_access_enabled is false (default true). */
function publicAccessOn(ctx: RuleContext, ws: Resource): boolean {
  const access = lookup(ws, ['public_network_access_enabled']);
  if (access.state === 'unknown') {
    ctx.unverified(ws, 'public_network_access_enabled is an expression that cannot be evaluated');
    return false;
  }
  if (access.state === 'absent' || access.value.kind === 'null') return true;
  const on = asBool(access.value);
  if (on === undefined) {
    ctx.unverified(ws, 'public_network_access_enabled is not a boolean');
    return false;
  }
  return on;
}

type Finding = Omit<Report, 'resource'> & { resource?: Resource };

/** The resources that enable IP access lists (the flag and an ALLOW list); else what to report (without the workspace), or unknown. */
function ipAccessListsEnabled(ctx: RuleContext): { by: Resource[] } | 'unknown' | Finding {
  const confs = databricksResources(ctx, 'databricks_workspace_conf');
  const lists = databricksResources(ctx, 'databricks_ip_access_list');
  const allowLists: Resource[] = [];
  let listUnknown = false;
  for (const list of lists) {
    const type = lookup(list, ['list_type']);
    const enabled = lookup(list, ['enabled']);
    if (type.state === 'unknown' || enabled.state === 'unknown') listUnknown = true;
    else if (type.state === 'set' && asString(type.value)?.trim().toUpperCase() === 'ALLOW' && !(enabled.state === 'set' && asBool(enabled.value) === false)) {
      allowLists.push(list);
    }
  }

  let flagUnknown = false;
  let flagOff: { conf: Resource; at: Located | undefined; value?: string } | undefined;
  let flagOn: Resource | undefined;
  for (const conf of confs) {
    const flag = lookup(conf, ['custom_config', FLAG]);
    if (flag.state === 'unknown') flagUnknown = true;
    else if (flag.state === 'set' && asBool(flag.value) === true) flagOn ??= conf;
    else if (!flagOff) flagOff = { conf, at: flag.state === 'set' ? flag.value.loc : undefined, value: flag.state === 'set' ? String(asString(flag.value) ?? asBool(flag.value)) : undefined };
  }

  if (flagOn && allowLists.length > 0) return { by: [flagOn, allowLists[0]] };
  if ((!flagOn && flagUnknown) || (allowLists.length === 0 && listUnknown)) return 'unknown';

  const related = allowLists.length
    ? allowLists.filter((l) => l.file).map((l) => ({ loc: { file: l.file, span: l.head }, message: 'An ALLOW list, not in effect until IP access lists are enabled' }))
    : undefined;
  if (!flagOn && flagOff) {
    const setFlag = { op: 'set' as const, resource: flagOff.conf, path: ['custom_config', FLAG], value: true };
    const hasCustomConfig = lookup(flagOff.conf, ['custom_config']).state === 'set';
    return {
      resource: flagOff.conf,
      at: flagOff.at ? { file: flagOff.at.file, span: flagOff.at.span } : undefined,
      message: message(
        `Public workspace, and custom_config "${FLAG}" is ${flagOff.value === undefined ? 'unset' : `'${flagOff.value}'`}`,
        allowLists.length ? 'set it to true' : 'set it to true and add an ALLOW databricks_ip_access_list',
      ),
      // The flag alone satisfies the rule only when an ALLOW list exists; the map must exist to take a new key.
      fixes: allowLists.length && hasCustomConfig ? [{ title: `Set custom_config "${FLAG}" to true`, intents: [setFlag], preferred: true }] : undefined,
      related,
    };
  }
  if (!flagOn) {
    return {
      message: message(
        'Public workspace without IP access lists',
        allowLists.length ? 'enable them in a databricks_workspace_conf' : 'enable them in a databricks_workspace_conf and add an ALLOW list',
      ),
      related,
    };
  }
  return {
    message:
      message('IP access lists are on but the module has no ALLOW list, so every address is allowed', 'add one for your egress ranges'),
  };
}
