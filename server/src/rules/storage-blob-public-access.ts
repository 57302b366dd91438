// storage-blob-public-access: containers of a storage account must not be readable anonymously.
import type { Fix } from '../fixes/intent';
import { asBool, describeValue, lookup, parseApiVersion } from '../model/query';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { azurermMajor, storageAccounts } from './support/storage';

const ARM_PATH = ['properties', 'allowBlobPublicAccess'];
const TF_ATTR = 'allow_nested_items_to_be_public';
/** The azurerm 2.x name of the argument (default false there). */
const TF_LEGACY_ATTR = 'allow_blob_public_access';

export const rule: Rule = {
  meta: {
    id: 'storage-blob-public-access',
    title: 'Storage account allows anonymous blob access',
    pass: 'Anonymous blob access is off',
    severity: 'warning',
    dialects: ['arm', 'bicep', 'terraform'],
    helpUri: LINKS.anonymousBlobAccess,
    fixable: true,
    kinds: [KIND.storageAccount],
    docs: {
      why:
        'When an account allows anonymous access, any container set to public can be read by anyone on the internet without credentials, and one wrong container setting leaks the data. ' +
        'Disallow it on the account so no container can be made public.',
      secure: {
        arm: '"allowBlobPublicAccess": false',
        bicep: 'allowBlobPublicAccess: false',
        terraform: 'allow_nested_items_to_be_public = false',
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
  const fix: Fix = { title: 'Set allowBlobPublicAccess to false', intents: [{ op: 'set', resource: sa, path: ARM_PATH, value: false }], preferred: true };
  const value = lookup(sa, ARM_PATH);
  if (value.state === 'unknown') return ctx.unverified(sa, 'allowBlobPublicAccess is an expression that cannot be evaluated');
  if (value.state === 'set') {
    const b = asBool(value.value);
    if (b === false) return;
    if (b === undefined) return ctx.unverified(sa, `allowBlobPublicAccess is ${describeValue(value.value)}`);
    return ctx.report({
      resource: sa,
      at: value.value,
      message: 'allowBlobPublicAccess is true: containers of this account can be made readable by anyone. Set it to false.',
      fixes: [fix],
    });
  }
  // Absent: the spec default is false from API 2023-01-01 (and new accounts are created with it off).
  const api = parseApiVersion(sa.apiVersion);
  if (api && api.date >= '2023-01-01') return;
  ctx.report({
    resource: sa,
    severity: 'information',
    message: `allowBlobPublicAccess relies on a default that differs between API versions (${sa.apiVersion ?? 'unknown'} predates 2023-01-01); set allowBlobPublicAccess to false explicitly.`,
    fixes: [fix],
  });
}

function checkTerraform(ctx: RuleContext, sa: Resource): void {
  const major = azurermMajor(sa);
  const legacy = lookup(sa, [TF_LEGACY_ATTR]);
  const legacyFix: Fix = { title: `Set ${TF_LEGACY_ATTR} to false`, intents: [{ op: 'set', resource: sa, path: [TF_LEGACY_ATTR], value: false }], preferred: true };
  // azurerm 2.x (or an unknown version written in its style): allow_blob_public_access, default false.
  if ((major !== undefined && major < 3) || (major === undefined && legacy.state !== 'absent')) {
    if (legacy.state === 'unknown') return ctx.unverified(sa, `${TF_LEGACY_ATTR} is an expression that cannot be evaluated`);
    if (legacy.state === 'absent') return;
    const b = asBool(legacy.value);
    if (b === false) return;
    if (b === undefined) return ctx.unverified(sa, `${TF_LEGACY_ATTR} is ${describeValue(legacy.value)}`);
    return ctx.report({
      resource: sa,
      at: legacy.value,
      message: `${TF_LEGACY_ATTR} is true: containers of this account can be made readable by anyone. Set it to false.`,
      fixes: [legacyFix],
    });
  }
  const fix: Fix = { title: `Set ${TF_ATTR} to false`, intents: [{ op: 'set', resource: sa, path: [TF_ATTR], value: false }], preferred: true };
  const value = lookup(sa, [TF_ATTR]);
  if (value.state === 'unknown') return ctx.unverified(sa, `${TF_ATTR} is an expression that cannot be evaluated`);
  if (value.state === 'set') {
    const b = asBool(value.value);
    if (b === false) return;
    if (b === undefined) return ctx.unverified(sa, `${TF_ATTR} is ${describeValue(value.value)}`);
    return ctx.report({
      resource: sa,
      at: value.value,
      message: `${TF_ATTR} is true: containers of this account can be made readable by anyone. Set it to false.`,
      fixes: [fix],
    });
  }
  if (major !== undefined && major >= 5) return; // azurerm 5 defaults it to false
  if (major !== undefined) {
    return ctx.report({
      resource: sa,
      message: `${TF_ATTR} is not set and azurerm ${major}.x sends true, overriding the service default: containers can be made readable by anyone. Set it to false.`,
      fixes: [fix],
    });
  }
  ctx.report({
    resource: sa,
    severity: 'information',
    message: `${TF_ATTR} relies on a default that differs between azurerm versions (true in 3.x and 4.x, false from 5.0; the version is unknown); set ${TF_ATTR} to false explicitly.`,
    fixes: [fix],
  });
}
