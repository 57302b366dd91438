// databricks-ip-access-list: a workspace reachable from the internet restricts its front end with
// IP access lists (enabled in workspace_conf, with at least one ALLOW list).
import { dirname } from 'node:path';
import { paramRef, resourceRef, type Fix, type FixIntent } from '../fixes/intent';
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
    const verdict = ipAccessListsEnabled(ctx, publicWorkspaces);
    if (verdict === 'unknown') {
      for (const ws of publicWorkspaces) ctx.unverified(ws, 'whether IP access lists are enabled cannot be evaluated');
      return;
    }
    if ('by' in verdict) {
      for (const ws of publicWorkspaces) ctx.satisfiedBy(ws, verdict.by);
      return;
    }
    // A finding about a workspace_conf is reported once; one about a missing setting, on each public workspace.
    const { fixesFor, resource, ...report } = verdict;
    if (resource) ctx.report({ ...report, resource });
    else for (const ws of publicWorkspaces) ctx.report({ ...report, resource: ws, fixes: fixesFor?.(ws) });
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

/** A finding without its workspace; `fixesFor` gives the fixes of the one reported on each workspace. */
type Finding = Omit<Report, 'resource'> & { resource?: Resource; fixesFor?: (ws: Resource) => Fix[] };

/** The resources that enable IP access lists (the flag and an ALLOW list); else what to report (without the workspace), or unknown. */
function ipAccessListsEnabled(ctx: RuleContext, publicWorkspaces: Resource[]): { by: Resource[] } | 'unknown' | Finding {
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
    const conf = flagOff.conf;
    return {
      resource: conf,
      at: flagOff.at ? { file: flagOff.at.file, span: flagOff.at.span } : undefined,
      message: message(
        `Public workspace, and custom_config "${FLAG}" is ${flagOff.value === undefined ? 'unset' : `'${flagOff.value}'`}`,
        allowLists.length ? 'set it to true' : 'set it to true and add an ALLOW databricks_ip_access_list',
      ),
      // The flag alone satisfies the rule only when an ALLOW list exists; else a list comes with it.
      fixes: [
        allowLists.length
          ? { title: `Set custom_config "${FLAG}" to true`, intents: flagIntents(conf), preferred: true }
          : {
              title: `Set custom_config "${FLAG}" to true and add an ALLOW list ${GIVE_CIDRS}`,
              intents: [...flagIntents(conf), ...allowListIntents(conf, nearestWorkspace(conf, publicWorkspaces), conf)],
              preferred: false,
            },
      ],
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
      // The workspace settings resource goes after the workspace; a new ALLOW list after it. The
      // module needs one: fix-all adds it for the first public workspace only.
      fixesFor: (ws) => [
        allowLists.length
          ? { title: `Add a databricks_workspace_conf that sets "${FLAG}"`, intents: [confIntent(ws)], preferred: ws === publicWorkspaces[0] }
          : {
              title: `Add a databricks_workspace_conf that sets "${FLAG}" and an ALLOW list ${GIVE_CIDRS}`,
              intents: [confIntent(ws), ...allowListIntents(ws, ws, 'conf')],
              preferred: false,
            },
      ],
    };
  }
  const on = flagOn;
  return {
    message:
      message('IP access lists are on but the module has no ALLOW list, so every address is allowed', 'add one for your egress ranges'),
    fixesFor: (ws) => [{ title: `Add an ALLOW databricks_ip_access_list ${GIVE_CIDRS}`, intents: allowListIntents(on, dirname(on.file) === dirname(ws.file) ? ws : on, on), preferred: false }],
  };
}

// A new ALLOW list needs ranges only the user knows, and enabling lists with a wrong one locks
// users out: such a fix is offered, not preferred, and its title says so.
const GIVE_CIDRS = '(give the allowed CIDRs in var.{param:cidrs})';

/** Turns the flag on in a workspace_conf: a new key in its custom_config map, or the map itself. */
function flagIntents(conf: Resource): FixIntent[] {
  return lookup(conf, ['custom_config']).state === 'set'
    ? [{ op: 'set', resource: conf, path: ['custom_config', FLAG], value: true }]
    : [{ op: 'set', resource: conf, path: ['custom_config'], value: { [FLAG]: true } }];
}

/** A databricks_workspace_conf with the flag on, after the workspace (later intents call it `conf`). */
function confIntent(ws: Resource): FixIntent {
  return {
    op: 'addResource',
    as: 'conf',
    after: ws,
    kind: 'databricks_workspace_conf',
    apiVersion: '',
    terraformType: 'databricks_workspace_conf',
    name: 'this',
    symbol: 'this',
    body: { terraform: { custom_config: { [FLAG]: true } } },
  };
}

/** The public workspace of the conf's module folder (new variables are named after it), else the conf. */
function nearestWorkspace(conf: Resource, publicWorkspaces: Resource[]): Resource {
  return publicWorkspaces.find((ws) => dirname(ws.file) === dirname(conf.file)) ?? conf;
}

/**
 * A variable for the allowed CIDRs and an ALLOW list on it after `after`, created once `conf`
 * (a model resource, or the `as` of one the fix adds) has enabled IP access lists.
 */
function allowListIntents(after: Resource, near: Resource, conf: Resource | string): FixIntent[] {
  return [
    {
      op: 'addParameter',
      as: 'cidrs',
      near,
      name: 'allowedCidrs',
      type: 'array',
      description: 'CIDR ranges allowed to reach the Databricks workspace (corporate, VPN and CI egress); every other address is blocked.',
    },
    {
      op: 'addResource',
      as: 'allowList',
      after,
      kind: 'databricks_ip_access_list',
      apiVersion: '',
      terraformType: 'databricks_ip_access_list',
      name: 'allowed',
      symbol: 'allowed',
      body: { terraform: { label: 'allowed', list_type: 'ALLOW', ip_addresses: paramRef('cidrs'), depends_on: [resourceRef(conf, '')] } },
    },
  ];
}
