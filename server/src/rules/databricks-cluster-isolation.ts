// databricks-cluster-isolation: clusters run with an access mode that isolates users (Unity Catalog).
import type { Fix } from '../fixes/intent';
import { asString, describeValue, lookup } from '../model/query';
import type { Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { databricksResources } from './support/databricks-provider';
import { message } from './support/message';
import { describeWithSource } from '../model/origin';

const KIND_CLUSTER = 'databricks_cluster';

/** Modes without any isolation between users. */
const NOT_ISOLATED = new Set(['NONE', 'NO_ISOLATION']);
/** Legacy modes: deprecated from Databricks Runtime 15.0 and not supported by Unity Catalog. */
const LEGACY = new Set(['LEGACY_TABLE_ACL', 'LEGACY_PASSTHROUGH', 'LEGACY_SINGLE_USER', 'LEGACY_SINGLE_USER_STANDARD']);
/** Modes that isolate users (rules.md). */
const ISOLATED = new Set(['USER_ISOLATION', 'DATA_SECURITY_MODE_STANDARD', 'SINGLE_USER', 'DATA_SECURITY_MODE_DEDICATED', 'DATA_SECURITY_MODE_AUTO']);

export const rule: Rule = {
  meta: {
    id: 'databricks-cluster-isolation',
    title: 'Cluster runs without user isolation',
    pass: 'Clusters run with user isolation',
    severity: 'warning',
    dialects: ['terraform'],
    helpUri: LINKS.accessModes,
    fixable: true,
    kinds: [KIND_CLUSTER],
    docs: {
      why:
        'A cluster without an isolating access mode lets every user who can attach to it read the others\' credentials, files and data, and it cannot enforce Unity Catalog permissions. ' +
        'Standard (USER_ISOLATION) or dedicated (SINGLE_USER) access modes isolate users and govern data access through Unity Catalog; the legacy modes are deprecated from Databricks Runtime 15.0.',
      secure: {
        terraform: 'resource "databricks_cluster" "shared" {\n  data_security_mode = "USER_ISOLATION"\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const cluster of databricksResources(ctx, KIND_CLUSTER)) checkCluster(ctx, cluster);
  },
};

function checkCluster(ctx: RuleContext, cluster: Resource): void {
  const fix: Fix = {
    title: 'Set data_security_mode to USER_ISOLATION',
    intents: [{ op: 'set', resource: cluster, path: ['data_security_mode'], value: 'USER_ISOLATION' }],
    preferred: true,
  };
  const mode = lookup(cluster, ['data_security_mode']);
  if (mode.state === 'unknown') return ctx.unverified(cluster, 'data_security_mode is an expression that cannot be evaluated');
  if (mode.state === 'absent' || mode.value.kind === 'null') {
    return ctx.report({
      resource: cluster,
      severity: 'information',
      message: message('data_security_mode is unset, so the provider picks the access mode', 'set USER_ISOLATION or SINGLE_USER explicitly'),
      fixes: [fix],
    });
  }
  const value = asString(mode.value)?.trim().toUpperCase();
  if (value === undefined) return ctx.unverified(cluster, `data_security_mode is ${describeValue(mode.value)}`);
  if (ISOLATED.has(value)) return;
  if (NOT_ISOLATED.has(value)) {
    return ctx.report({
      resource: cluster,
      at: mode.value,
      message: message(`data_security_mode is ${describeWithSource(ctx.unit, cluster, mode.value, 'data_security_mode')}`, 'set USER_ISOLATION or SINGLE_USER', 'users are not isolated'),
      fixes: [fix],
    });
  }
  if (LEGACY.has(value)) {
    return ctx.report({
      resource: cluster,
      at: mode.value,
      severity: 'information',
      message: message(`data_security_mode is ${describeWithSource(ctx.unit, cluster, mode.value, 'data_security_mode')}, a legacy mode`, 'use USER_ISOLATION or SINGLE_USER', 'deprecated from Runtime 15.0'),
      fixes: [fix],
    });
  }
  ctx.unverified(cluster, `data_security_mode ${describeValue(mode.value)} is not a known access mode`);
}
