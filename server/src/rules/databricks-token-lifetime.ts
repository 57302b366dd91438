// databricks-token-lifetime: personal access tokens expire.
import { lookup } from '../model/query';
import type { Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { databricksResources } from './support/databricks-provider';
import { message } from './support/message';

const KIND_TOKEN = 'databricks_token';
/** 90 days, the upper bound Microsoft Learn recommends for a token's lifetime. */
const NINETY_DAYS = 7776000;

export const rule: Rule = {
  meta: {
    id: 'databricks-token-lifetime',
    title: 'Personal access token without an expiry',
    pass: 'Tokens expire',
    severity: 'information',
    dialects: ['terraform'],
    helpUri: LINKS.tokens,
    fixable: true,
    kinds: [KIND_TOKEN],
    docs: {
      why:
        'A token without lifetime_seconds lives as long as the workspace maximum allows (730 days by default), so a leaked token stays usable for years. ' +
        'Give every token an expiry below 90 days, and prefer OAuth with a service principal or managed identity for automation.',
      secure: {
        terraform: 'resource "databricks_token" "ci" {\n  comment          = "CI"\n  lifetime_seconds = 7776000 # 90 days\n}',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const token of databricksResources(ctx, KIND_TOKEN)) checkToken(ctx, token);
  },
};

function checkToken(ctx: RuleContext, token: Resource): void {
  const lifetime = lookup(token, ['lifetime_seconds']);
  if (lifetime.state === 'unknown') return ctx.unverified(token, 'lifetime_seconds is an expression that cannot be evaluated');
  if (lifetime.state === 'set' && lifetime.value.kind !== 'null') return;
  ctx.report({
    resource: token,
    message: message('This token has no lifetime_seconds', 'set lifetime_seconds = 7776000 (90 days) or less', 'it lives up to the workspace maximum, 730 days'),
    fixes: [{ title: 'Set lifetime_seconds to 7776000 (90 days)', intents: [{ op: 'set', resource: token, path: ['lifetime_seconds'], value: NINETY_DAYS }], preferred: true }],
  });
}
