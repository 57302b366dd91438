// storage-min-tls: a storage account must refuse TLS below 1.2.
import type { Fix } from '../fixes/intent';
import { asString, describeValue, lookup } from '../model/query';
import { describeVersionSource, describeWithSource } from '../model/origin';
import { decideOverVersions, describePieces } from '../model/version';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { storageAccounts } from './support/storage';
import { message, versionRelated } from './support/message';

const WEAK = ['TLS1_0', 'TLS1_1'];

export const rule: Rule = {
  meta: {
    id: 'storage-min-tls',
    title: 'Storage account accepts TLS below 1.2',
    pass: 'Storage requires TLS 1.2',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.minimumTls,
    fixable: true,
    kinds: [KIND.storageAccount],
    docs: {
      why:
        'TLS 1.0 and 1.1 have known weaknesses and are no longer supported by Azure Storage clients; accepting them lets a downgraded connection carry keys and data. ' +
        'Require TLS 1.2 as the minimum so the setting is explicit in the template.',
      secure: {
        arm: '"minimumTlsVersion": "TLS1_2"',
        bicep: "minimumTlsVersion: 'TLS1_2'",
        terraform: 'min_tls_version = "TLS1_2"',
      },
    },
  },
  check(ctx: RuleContext) {
    for (const sa of storageAccounts(ctx)) {
      if (sa.schema === 'terraform') checkTerraform(ctx, sa);
      else checkArm(ctx, sa);
    }
  },
};

function checkArm(ctx: RuleContext, sa: Resource): void {
  const path = ['properties', 'minimumTlsVersion'];
  const fix: Fix = { title: "Set minimumTlsVersion to 'TLS1_2'", intents: [{ op: 'set', resource: sa, path, value: 'TLS1_2' }], preferred: true };
  const value = lookup(sa, path);
  if (value.state === 'unknown') return ctx.unverified(sa, 'minimumTlsVersion is an expression that cannot be evaluated');
  if (value.state === 'absent') {
    return ctx.report({
      resource: sa,
      severity: 'information',
      message: message('minimumTlsVersion is not set and the API default is TLS 1.0', "set it to 'TLS1_2' explicitly", 'the platform now enforces 1.2'),
      fixes: [fix],
    });
  }
  const v = asString(value.value)?.toUpperCase();
  if (v === 'TLS1_2') return;
  if (v !== undefined && WEAK.includes(v)) {
    return ctx.report({
      resource: sa,
      at: value.value,
      message: message(`minimumTlsVersion is ${describeWithSource(ctx.unit, sa, value.value, 'minimumTlsVersion')}`, "set it to 'TLS1_2'", 'clients may use TLS below 1.2'),
      fixes: [fix],
    });
  }
  if (v === 'TLS1_3') {
    return ctx.report({
      resource: sa,
      at: value.value,
      severity: 'information',
      message: message(`minimumTlsVersion is ${describeWithSource(ctx.unit, sa, value.value, 'minimumTlsVersion')}`, "set it to 'TLS1_2'", 'the API does not support a 1.3 minimum'),
      fixes: [fix],
    });
  }
  ctx.unverified(sa, `minimumTlsVersion is ${describeValue(value.value)}`);
}

function checkTerraform(ctx: RuleContext, sa: Resource): void {
  const fix: Fix = { title: 'Set min_tls_version to "TLS1_2"', intents: [{ op: 'set', resource: sa, path: ['min_tls_version'], value: 'TLS1_2' }], preferred: true };
  const value = lookup(sa, ['min_tls_version']);
  if (value.state === 'unknown') return ctx.unverified(sa, 'min_tls_version is an expression that cannot be evaluated');
  if (value.state === 'set') {
    const v = asString(value.value);
    if (v === undefined) return ctx.unverified(sa, `min_tls_version is ${describeValue(value.value)}`);
    if (!WEAK.includes(v)) return;
    return ctx.report({
      resource: sa,
      at: value.value,
      message: message(`min_tls_version is ${describeWithSource(ctx.unit, sa, value.value, 'min_tls_version')}`, 'set it to "TLS1_2"', 'clients may use TLS below 1.2'),
      fixes: [fix],
    });
  }
  const version = sa.providerVersion;
  const related = versionRelated(version, ctx.unit);
  if (!version) {
    return ctx.report({
      resource: sa,
      severity: 'information',
      message: message('min_tls_version is unset and the azurerm version is unknown ("TLS1_0" before 3.0)', 'set it to "TLS1_2"'),
      fixes: [fix],
    });
  }
  // azurerm 3.0 and later default to TLS1_2; 2.x to TLS1_0.
  const verdict = decideOverVersions(version, [[3, 0, 0]], (at) => (at[0] >= 3 ? 'TLS1_2' : 'TLS1_0'));
  const source = describeVersionSource(ctx.unit, version);
  if (verdict.known && verdict.value === 'TLS1_2') return;
  if (verdict.known) {
    return ctx.report({
      resource: sa,
      message: message(`min_tls_version is unset and ${source} defaults it to "TLS1_0"`, 'set it to "TLS1_2"', 'TLS below 1.2 is accepted'),
      fixes: [fix],
      related,
    });
  }
  const insecure = describePieces(verdict.pieces, (value) => value === 'TLS1_0');
  ctx.report({
    resource: sa,
    severity: 'information',
    message: message(`min_tls_version is unset and ${source} defaults it to "TLS1_0" ${insecure}`, 'set it to "TLS1_2"'),
    fixes: [fix],
    related,
  });
}
