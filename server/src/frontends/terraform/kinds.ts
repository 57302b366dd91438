// Terraform resource types onto the resource model's kinds (rules.md, Conventions).
import { KIND } from '../../model/types';

const AZURERM_KINDS: Record<string, string> = {
  azurerm_databricks_workspace: KIND.workspace,
  azurerm_private_endpoint: KIND.privateEndpoint,
  azurerm_monitor_diagnostic_setting: KIND.diagnosticSetting,
  azurerm_storage_account: KIND.storageAccount,
  azurerm_key_vault: KIND.keyVault,
  azurerm_network_security_group: KIND.nsg,
  azurerm_network_security_rule: KIND.nsgRule,
  azurerm_network_interface: KIND.nic,
};

/** The model kind of a Terraform resource type: the ARM type for mapped azurerm types, else the type itself. */
export function kindOfTerraformType(type: string): string {
  return AZURERM_KINDS[type] ?? type;
}

/** The provider local name of a resource type (`azurerm_x` → `azurerm`). */
export function providerOfType(type: string): string {
  const i = type.indexOf('_');
  return i < 0 ? type : type.slice(0, i);
}
