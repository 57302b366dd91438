// databricks-no-public-ip: secure cluster connectivity — cluster nodes get no public IP addresses.
import type { Fix } from '../fixes/intent';
import { asBool, lookup, parseApiVersion } from '../model/query';
import { describeVersionSource, describeWithSource } from '../model/origin';
import { decideOverVersions, describePieces } from '../model/version';
import { KIND, type Resource, type VersionTriple } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { isServerless, workspaces } from './support/workspace';
import { message, versionRelated } from './support/message';

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
      message: message(`enableNoPublicIp is ${describeWithSource(ctx.unit, ws, value.value, 'enableNoPublicIp')}`, 'set it to true', 'cluster nodes get public IPs'),
      fixes: [fix],
    });
  }
  const byDefault = armDefaultNoPublicIp(ws.apiVersion);
  if (byDefault === true) return;
  if (byDefault === false) {
    return ctx.report({
      resource: ws,
      message: message(`enableNoPublicIp is not set and defaults to false in API ${ws.apiVersion}`, 'set it to true', 'cluster nodes get public IPs'),
      fixes: [fix],
    });
  }
  ctx.report({
    resource: ws,
    severity: 'information',
    message: message('enableNoPublicIp is not set and its default depends on the API version', 'set it to true explicitly'),
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
      message: message(`no_public_ip is ${describeWithSource(ctx.unit, ws, value.value, 'no_public_ip')}`, 'set it to true', 'cluster nodes get public IPs'),
      fixes: [fix],
    });
  }
  const hasBlock = value.missing.length < TF_PATH.length;
  const v = ws.providerVersion;
  const related = versionRelated(v, ctx.unit);
  if (!v) {
    return ctx.report({
      resource: ws,
      severity: 'information',
      message: message('no_public_ip is unset and the azurerm version is unknown (its default changed in 3.104 and 4.0)', 'set it to true'),
      fixes: [fix],
    });
  }
  const verdict = decideOverVersions(v, [[3, 0, 0], [3, 104, 0], [4, 0, 0]], (at) => terraformDefault(at, hasBlock));
  const source = describeVersionSource(ctx.unit, v);
  if (verdict.known) {
    if (verdict.value === 'true') return;
    return ctx.report({ resource: ws, message: message(`no_public_ip is unset and ${source} ${FALSE_BECAUSE[verdict.value]}`, 'set it to true', 'nodes get public IPs'), fixes: [fix], related });
  }
  const insecure = describePieces(verdict.pieces, (value) => value !== 'true');
  ctx.report({
    resource: ws,
    severity: 'information',
    message: message(`no_public_ip is unset and ${source} sends false ${insecure}`, 'set it to true'),
    fixes: [fix],
    related,
  });
}

type TerraformDefault = 'true' | 'block' | 'api' | 'old';

/** Why an azurerm version range sends false, naming where the version was read. */
const FALSE_BECAUSE: Record<Exclude<TerraformDefault, 'true'>, string> = {
  block: 'sends false with custom_parameters',
  api: 'leaves the API default, false',
  old: 'defaults it to false',
};

/** What azurerm sends when no_public_ip is absent (rules.md: version-dependent defaults). */
function terraformDefault(version: VersionTriple, hasCustomParameters: boolean): TerraformDefault {
  if (version[0] >= 4) return 'true'; // the 4.0 schema default
  if (version[0] < 3) return 'old';
  if (hasCustomParameters) return 'block'; // 3.x sends the block's false explicitly
  return version[1] >= 104 ? 'true' : 'api'; // 3.104.0 moved to API 2024-05-01, whose default is true
}
