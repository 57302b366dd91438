// storage-min-tls: a storage account must refuse TLS below 1.2.
import type { Fix } from '../fixes/intent';
import { asString, describeValue, lookup } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { azurermMajor, storageAccounts } from './support/storage';

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
      message: "minimumTlsVersion is not set: the spec default is TLS 1.0, though the platform now enforces 1.2; set minimumTlsVersion to 'TLS1_2' explicitly.",
      fixes: [fix],
    });
  }
  const v = asString(value.value)?.toUpperCase();
  if (v === 'TLS1_2') return;
  if (v !== undefined && WEAK.includes(v)) {
    return ctx.report({
      resource: sa,
      at: value.value,
      message: `minimumTlsVersion is ${describeValue(value.value)}: clients can connect with TLS below 1.2. Set it to 'TLS1_2'.`,
      fixes: [fix],
    });
  }
  if (v === 'TLS1_3') {
    return ctx.report({
      resource: sa,
      at: value.value,
      severity: 'information',
      message: "minimumTlsVersion is 'TLS1_3', which the API spec says is not supported as a minimum; set it to 'TLS1_2'.",
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
      message: `min_tls_version is ${describeValue(value.value)}: clients can connect with TLS below 1.2. Set it to "TLS1_2".`,
      fixes: [fix],
    });
  }
  const major = azurermMajor(sa);
  if (major !== undefined && major >= 3) return; // azurerm 3.0 and later default to TLS1_2
  if (major !== undefined) {
    return ctx.report({
      resource: sa,
      message: `min_tls_version is not set and azurerm ${major}.x defaults it to "TLS1_0": clients can connect with TLS below 1.2. Set it to "TLS1_2".`,
      fixes: [fix],
    });
  }
  ctx.report({
    resource: sa,
    severity: 'information',
    message: 'min_tls_version relies on a default that differs between azurerm versions ("TLS1_0" in 2.x, "TLS1_2" from 3.0; the version is unknown); set min_tls_version to "TLS1_2" explicitly.',
    fixes: [fix],
  });
}
