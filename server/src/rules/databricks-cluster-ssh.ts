// databricks-cluster-ssh: no SSH public keys on cluster nodes.
import { describeValue, lookup } from '../model/query';
import type { Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { databricksResources } from './support/databricks-provider';
import { message } from './support/message';

const KIND_CLUSTER = 'databricks_cluster';

export const rule: Rule = {
  meta: {
    id: 'databricks-cluster-ssh',
    title: 'SSH public keys are installed on cluster nodes',
    pass: 'No SSH keys on cluster nodes',
    severity: 'warning',
    dialects: ['terraform'],
    helpUri: LINKS.accessModes,
    fixable: true,
    kinds: [KIND_CLUSTER],
    docs: {
      why:
        'SSH keys on cluster nodes give their holders a shell on the driver and workers, outside the workspace\'s access control and audit logs, and require port 2200 to be reachable. ' +
        'Use notebooks or the web terminal, which run under the user\'s identity and access mode, and leave ssh_public_keys out.',
      secure: {
        terraform: 'resource "databricks_cluster" "this" {\n  # no ssh_public_keys\n  data_security_mode = "USER_ISOLATION"\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const cluster of databricksResources(ctx, KIND_CLUSTER)) checkCluster(ctx, cluster);
  },
};

function checkCluster(ctx: RuleContext, cluster: Resource): void {
  const keys = lookup(cluster, ['ssh_public_keys']);
  if (keys.state === 'absent') return;
  if (keys.state === 'unknown') return ctx.unverified(cluster, 'ssh_public_keys is an expression that cannot be evaluated');
  if (keys.value.kind === 'null') return;
  if (keys.value.kind !== 'array') return ctx.unverified(cluster, `ssh_public_keys is ${describeValue(keys.value)}`);
  if (keys.value.items.length === 0) return;
  ctx.report({
    resource: cluster,
    at: keys.value,
    message: message(
      `ssh_public_keys installs ${keys.value.items.length === 1 ? 'an SSH key' : `${keys.value.items.length} SSH keys`} on cluster nodes`,
      'remove ssh_public_keys',
      'shell access bypasses access control and audit logs',
    ),
    fixes: [{ title: 'Remove ssh_public_keys', intents: [{ op: 'remove', resource: cluster, path: ['ssh_public_keys'] }], preferred: true }],
  });
}
