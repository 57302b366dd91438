@description('Name of the Azure Databricks workspace.')
param workspaceName string = 'dbw-analytics-dev'

@description('Location of the workspace.')
param location string = resourceGroup().location

@allowed([
  'standard'
  'premium'
])
param pricingTier string = 'standard'

var managedResourceGroupName = 'databricks-rg-${workspaceName}-${uniqueString(workspaceName, resourceGroup().id)}'

resource workspace 'Microsoft.Databricks/workspaces@2023-02-01' = {
  name: workspaceName
  location: location
  sku: {
    name: pricingTier
  }
  properties: {
    managedResourceGroupId: subscriptionResourceId('Microsoft.Resources/resourceGroups', managedResourceGroupName)
    publicNetworkAccess: 'Enabled'
  }
}

output workspaceUrl string = workspace.properties.workspaceUrl
