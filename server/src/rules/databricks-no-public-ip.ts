// databricks-no-public-ip: secure cluster connectivity — cluster nodes get no public IP addresses.
import type { Fix } from '../fixes/intent';
import { asBool, describeValue, lookup, parseApiVersion } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { isServerless, workspaces } from './support/workspace';

const ARM_PATH = ['properties', 'parameters', 'enableNoPublicIp', 'value'];
const TF_PATH = ['custom_parameters', 'no_public_ip'];

export const rule: Rule = {
  meta: {
    id: 'databricks-no-public-ip',
    title: 'Cluster nodes get public IP addresses',
    pass: 'Cluster nodes have no public IP',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.secureClusterConnectivity,
    fixable: true,
    kinds: [KIND.workspace],
    docs: {
      why:
        'Without secure cluster connectivity every cluster node gets a public IP address and the control plane reaches it over inbound ports. ' +
        'With no public IP, nodes have only private addresses and open an outbound tunnel to the control plane, so no inbound port is exposed.',
      secure: {
        arm: '"parameters": {\n  "enableNoPublicIp": { "value": true }\n}',
        bicep: 'parameters: {\n  enableNoPublicIp: {\n    value: true\n  }\n}',
        terraform: 'custom_parameters {\n  no_public_ip = true\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const ws of workspaces(ctx)) {
      if (isServerless(ws)) {
        ctx.notApplicable(ws, 'a serverless workspace has no classic compute plane');
        continue;
      }
      if (ws.schema === 'terraform') checkTerraform(ctx, ws);
      else checkArm(ctx, ws);
    }
  },
};

/** The platform default of enableNoPublicIp for an API version: true from 2024-05-01 (previews from 2024-09-01-preview). */
export function armDefaultNoPublicIp(apiVersion: string | undefined): boolean | undefined {
  const v = parseApiVersion(apiVersion);
  if (!v) return undefined;
  return v.preview ? v.date >= '2024-09-01' : v.date >= '2024-05-01';
}

function checkArm(ctx: RuleContext, ws: Resource): void {
  const fix: Fix = {
    title: 'Set enableNoPublicIp to true',
    intents: [{ op: 'set', resource: ws, path: ARM_PATH, value: true }],
    preferred: true,
  };
  const value = lookup(ws, ARM_PATH);
  if (value.state === 'unknown') return ctx.unverified(ws, 'enableNoPublicIp is an expression that cannot be evaluated');
  if (value.state === 'set') {
    if (asBool(value.value) === true) return;
    return ctx.report({
      resource: ws,
      at: value.value,
      message: `enableNoPublicIp is ${describeValue(value.value)}: cluster nodes get public IP addresses. Set it to true (secure cluster connectivity).`,
      fixes: [fix],
    });
  }
  const byDefault = armDefaultNoPublicIp(ws.apiVersion);
  if (byDefault === true) return;
  if (byDefault === false) {
    return ctx.report({
      resource: ws,
      message: `enableNoPublicIp is not set and defaults to false with API version ${ws.apiVersion}: cluster nodes get public IP addresses. Set it to true (secure cluster connectivity).`,
      fixes: [fix],
    });
  }
  ctx.report({
    resource: ws,
    severity: 'information',
    message: 'enableNoPublicIp relies on a default that differs between API versions; set enableNoPublicIp to true explicitly.',
    fixes: [fix],
  });
}

function checkTerraform(ctx: RuleContext, ws: Resource): void {
  const fix: Fix = {
    title: 'Set custom_parameters.no_public_ip to true',
    intents: [{ op: 'set', resource: ws, path: TF_PATH, value: true }],
    preferred: true,
  };
  const value = lookup(ws, TF_PATH);
  if (value.state === 'unknown') return ctx.unverified(ws, 'no_public_ip is an expression that cannot be evaluated');
  if (value.state === 'set') {
    if (asBool(value.value) === true) return;
    return ctx.report({
      resource: ws,
      at: value.value,
      message: `no_public_ip is ${describeValue(value.value)}: cluster nodes get public IP addresses. Set it to true (secure cluster connectivity).`,
      fixes: [fix],
    });
  }
  const verdict = terraformDefault(ws, value.missing.length < TF_PATH.length);
  if (verdict.secure === true) return;
  if (verdict.secure === false) {
    return ctx.report({ resource: ws, message: `${verdict.why}: cluster nodes get public IP addresses. Set custom_parameters { no_public_ip = true }.`, fixes: [fix] });
  }
  ctx.report({
    resource: ws,
    severity: 'information',
    message: `no_public_ip relies on a default that differs between azurerm versions (${verdict.why}); set custom_parameters { no_public_ip = true } explicitly.`,
    fixes: [fix],
  });
}

/** What azurerm sends when no_public_ip is absent (rules.md: version-dependent defaults). */
function terraformDefault(ws: Resource, hasCustomParameters: boolean): { secure?: boolean; why: string } {
  const v = ws.providerVersion;
  if (!v) return { why: 'the azurerm version is unknown' };
  if (v.major >= 4) return { secure: true, why: 'azurerm 4 defaults no_public_ip to true' };
  if (v.major < 3) return { secure: false, why: `no_public_ip is not set and azurerm ${v.major}.x defaults it to false` };
  if (hasCustomParameters) {
    return { secure: false, why: 'no_public_ip is not set and azurerm 3.x sends false when a custom_parameters block is present' };
  }
  if (v.minor === undefined) return { why: 'only azurerm 3.x is known; the API default changed in 3.104.0' };
  if (v.minor >= 104) return { secure: true, why: 'azurerm ≥ 3.104 leaves the API default (true)' };
  return { secure: false, why: `no_public_ip is not set and azurerm 3.${v.minor} leaves the API default of its API version (false)` };
}
