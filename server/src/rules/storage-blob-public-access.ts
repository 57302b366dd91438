// storage-blob-public-access: containers of a storage account must not be readable anonymously.
import type { Fix } from '../fixes/intent';
import { asBool, describeValue, lookup, parseApiVersion } from '../model/query';
import { describeVersionSource, describeWithSource } from '../model/origin';
import { decideOverVersions, describePieces } from '../model/version';
import { KIND, type Resource } from '../model/types';
import { LINKS } from './links';
import type { Rule, RuleContext } from './types';
import { storageAccounts } from './support/storage';
import { message, versionRelated } from './support/message';

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
      message: message(`allowBlobPublicAccess is ${describeWithSource(ctx.unit, sa, value.value, 'allowBlobPublicAccess')}`, 'set it to false', 'containers can be made public'),
      fixes: [fix],
    });
  }
  // Absent: the spec default is false from API 2023-01-01 (and new accounts are created with it off).
  const api = parseApiVersion(sa.apiVersion);
  if (api && api.date >= '2023-01-01') return;
  ctx.report({
    resource: sa,
    severity: 'information',
    message: message(`allowBlobPublicAccess is not set and API ${sa.apiVersion ?? '(unknown)'} predates its false default (2023-01-01)`, 'set it to false'),
    fixes: [fix],
  });
}

type Default = 'legacy' | 'true' | 'false';

function checkTerraform(ctx: RuleContext, sa: Resource): void {
  const version = sa.providerVersion;
  // 2.x names the argument allow_blob_public_access (default false); 3.x and 4.x send true; 5.0 defaults to false.
  const verdict = version ? decideOverVersions<Default>(version, [[3, 0, 0], [5, 0, 0]], (at) => (at[0] >= 5 ? 'false' : at[0] >= 3 ? 'true' : 'legacy')) : undefined;
  const decided = verdict?.known ? verdict.value : undefined;
  const legacy = lookup(sa, [TF_LEGACY_ATTR]);
  const legacyFix: Fix = { title: `Set ${TF_LEGACY_ATTR} to false`, intents: [{ op: 'set', resource: sa, path: [TF_LEGACY_ATTR], value: false }], preferred: true };
  // azurerm 2.x (or a version not decided, written in its style): allow_blob_public_access, default false.
  if (decided === 'legacy' || (decided === undefined && legacy.state !== 'absent')) {
    if (legacy.state === 'unknown') return ctx.unverified(sa, `${TF_LEGACY_ATTR} is an expression that cannot be evaluated`);
    if (legacy.state === 'absent') return;
    const b = asBool(legacy.value);
    if (b === false) return;
    if (b === undefined) return ctx.unverified(sa, `${TF_LEGACY_ATTR} is ${describeValue(legacy.value)}`);
    return ctx.report({
      resource: sa,
      at: legacy.value,
      message: message(`${TF_LEGACY_ATTR} is ${describeWithSource(ctx.unit, sa, legacy.value, TF_LEGACY_ATTR)}`, 'set it to false', 'containers can be made public'),
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
      message: message(`${TF_ATTR} is ${describeWithSource(ctx.unit, sa, value.value, TF_ATTR)}`, 'set it to false', 'containers can be made public'),
      fixes: [fix],
    });
  }
  if (decided === 'false') return;
  const related = versionRelated(version, ctx.unit);
  const source = version ? describeVersionSource(ctx.unit, version) : undefined;
  if (decided === 'true' && source) {
    return ctx.report({
      resource: sa,
      message: message(`${TF_ATTR} is unset and ${source} sends true`, 'set it to false', 'containers can be made public'),
      fixes: [fix],
      related,
    });
  }
  const pieces = verdict && !verdict.known ? describePieces(verdict.pieces, (value) => value === 'true') : undefined;
  ctx.report({
    resource: sa,
    severity: 'information',
    message: pieces
      ? message(`${TF_ATTR} is unset and ${source} sends true ${pieces}`, 'set it to false')
      : message(`${TF_ATTR} is unset; the azurerm version is unknown (true in 3.x–4.x)`, 'set it to false'),
    fixes: [fix],
    related,
  });
}
