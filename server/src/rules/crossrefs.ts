// Cross-references per rule id, in one table: built-in Azure Policy definitions that check the same
// thing, CWE ids and the SARIF precision. Ids of rules not implemented yet are kept so that a rule
// added later is cross-referenced without an edit here.

export type PolicyEffect = 'Audit' | 'Deny' | 'AuditIfNotExists' | 'DeployIfNotExists' | 'Disabled';

export interface AzurePolicy {
  /** The definition's GUID (its name under /providers/Microsoft.Authorization/policyDefinitions/). */
  id: string;
  displayName: string;
  /** The effects the definition allows (its `effect` parameter's allowedValues). */
  effects: readonly PolicyEffect[];
}

/**
 * Verified against built-in-policies/policyDefinitions/{Azure Databricks,Storage,Key Vault}/ in the
 * public Azure/azure-policy repository (name, displayName and the effect parameter's allowedValues).
 */
export const AZURE_POLICIES: Readonly<Record<string, readonly AzurePolicy[]>> = {
  'databricks-public-network-access': [
    { id: '0e7849de-b939-4c50-ab48-fc6b0f5eeba2', displayName: 'Azure Databricks Workspaces should disable public network access', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
  'databricks-no-public-ip': [
    { id: '51c1490f-3319-459c-bbbc-7f391bbed753', displayName: 'Clusters that are part of Azure Databricks Workspaces should disable public IP', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
  'databricks-vnet-injection': [
    { id: '9c25c9e4-ee12-4882-afd2-11fb9d87893f', displayName: 'Azure Databricks Workspaces should be in a virtual network', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
  'databricks-premium-sku': [
    {
      id: '2cc2c3b5-c2f8-45aa-a9e6-f90d85ae8352',
      displayName: 'Azure Databricks workspaces should be Premium SKU that supports features like private link, customer-managed key for encryption',
      effects: ['Audit', 'Deny', 'Disabled'],
    },
  ],
  'databricks-private-endpoint': [
    { id: '258823f2-4595-4b52-b333-cc96192710d8', displayName: 'Azure Databricks Workspaces should use private link', effects: ['Audit', 'Disabled'] },
  ],
  'databricks-diagnostic-logs': [
    { id: '138ff14d-b687-4faa-a81c-898c91a87fa2', displayName: 'Resource logs in Azure Databricks Workspaces should be enabled', effects: ['AuditIfNotExists', 'Disabled'] },
  ],
  'storage-public-network-access': [
    { id: 'b2982f36-99f2-4db5-8eff-283140c09693', displayName: 'Storage accounts should disable public network access', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
  'storage-blob-public-access': [
    { id: '4fa4b6c0-31ca-4c0d-b10d-24b96f62a751', displayName: 'Storage account public access should be disallowed', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
  'storage-shared-key-access': [
    { id: '8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54', displayName: 'Storage accounts should prevent shared key access', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
  'storage-min-tls': [
    { id: 'fe83a0eb-a853-422d-aac2-1bffd182c5d0', displayName: 'Storage accounts should have the specified minimum TLS version', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
  'keyvault-public-network-access': [
    { id: '405c5871-3e91-4644-8a63-58e19d68ff5b', displayName: 'Azure Key Vault should disable public network access', effects: ['Audit', 'Deny', 'Disabled'] },
  ],
};

/** The built-in policies that check what a rule checks (none when there is no such policy). */
export function azurePolicies(ruleId: string): readonly AzurePolicy[] {
  return AZURE_POLICIES[ruleId] ?? [];
}

export function canDeny(policy: AzurePolicy): boolean {
  return policy.effects.includes('Deny');
}

/** What assigning the policy does to a deployment that fails the rule, in words. */
export function policyEffectText(policy: AzurePolicy): string {
  if (canDeny(policy)) return 'can Deny this deployment';
  if (policy.effects.includes('AuditIfNotExists')) return 'audits after deployment (AuditIfNotExists)';
  return 'audit only';
}

export function policyPortalUri(policy: AzurePolicy): string {
  return `https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F${policy.id}`;
}

/** `Azure Policy: *name* (can Deny this deployment)` — Markdown, for hovers and SARIF help. */
export function policyMarkdown(policy: AzurePolicy): string {
  return `Azure Policy: *${policy.displayName}* (${policyEffectText(policy)})`;
}

export function policyText(policy: AzurePolicy): string {
  return `Azure Policy: "${policy.displayName}" (${policyEffectText(policy)}; definition ${policy.id})`;
}

/**
 * SARIF precision: `very-high` for a value check on one resource, `high` for a check across resources,
 * `medium` where the verdict rests on a default that depends on a version or on a pattern match.
 */
export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export const PRECISION: Readonly<Record<string, Precision>> = {
  'databricks-public-network-access': 'very-high',
  'databricks-backend-private-link': 'very-high',
  'databricks-no-public-ip': 'medium',
  'databricks-vnet-injection': 'very-high',
  'databricks-private-endpoint': 'high',
  'databricks-browser-auth-endpoint': 'high',
  'databricks-private-dns-zone': 'high',
  'databricks-ip-access-list': 'high',
  'databricks-ip-access-list-open': 'very-high',
  'network-public-ip-on-nic': 'very-high',
  'network-open-management-port': 'high',
  'databricks-premium-sku': 'very-high',
  'databricks-diagnostic-logs': 'high',
  'databricks-credential-passthrough': 'high',
  'databricks-hardcoded-secret': 'medium',
  'databricks-cluster-isolation': 'very-high',
  'databricks-cluster-ssh': 'very-high',
  'databricks-token-lifetime': 'very-high',
  'databricks-cmk-managed-services': 'very-high',
  'databricks-cmk-managed-disk': 'very-high',
  'databricks-cmk-dbfs-root': 'high',
  'databricks-infrastructure-encryption': 'very-high',
  'storage-public-network-access': 'high',
  'storage-blob-public-access': 'medium',
  'storage-shared-key-access': 'very-high',
  'storage-min-tls': 'medium',
  'keyvault-purge-protection': 'high',
  'keyvault-public-network-access': 'very-high',
  'brickguard-unknown-rule': 'very-high',
  'brickguard-unused-suppression': 'very-high',
};

/** A rule not in the table is judged with unknowns possible. */
export function precision(ruleId: string): Precision {
  return PRECISION[ruleId] ?? 'medium';
}

/** CWE ids where one fits (GitHub shows them from `external/cwe/cwe-N` tags). */
export const CWE: Readonly<Record<string, readonly number[]>> = {
  'databricks-public-network-access': [284],
  'databricks-backend-private-link': [284],
  'databricks-no-public-ip': [284],
  'databricks-vnet-injection': [284],
  'databricks-private-endpoint': [284],
  'databricks-browser-auth-endpoint': [284],
  'databricks-ip-access-list': [284],
  'databricks-ip-access-list-open': [284],
  'network-public-ip-on-nic': [284],
  'network-open-management-port': [284],
  'databricks-diagnostic-logs': [778],
  'databricks-credential-passthrough': [522],
  'databricks-hardcoded-secret': [798],
  'databricks-cluster-isolation': [653],
  'databricks-cluster-ssh': [284],
  'databricks-token-lifetime': [613],
  'storage-public-network-access': [284],
  'storage-blob-public-access': [284],
  'storage-shared-key-access': [287],
  'storage-min-tls': [326],
  'keyvault-public-network-access': [284],
};

export function cweIds(ruleId: string): readonly number[] {
  return CWE[ruleId] ?? [];
}
