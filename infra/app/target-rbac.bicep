// Deployed at the TARGET resource group's scope: lets the Yardstick app's identity read the
// targets' meters and logs and act on them (restart to force a cold start, change settings for
// sweeps). Scoped to that one resource group, never the subscription.

@description('Principal (object) id of the Yardstick app\'s identity.')
param identityPrincipalId string

var roles = {
  // Read Azure Monitor metrics (Flex/Consumption execution units and counts).
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05'
  // Query Log Analytics / workspace-based App Insights (server-side durations, cold starts).
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'
  // Restart sites, PUT functionAppConfig, change app settings.
  websiteContributor: 'de139f84-1756-47ae-9be6-808fbbe84772'
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in [roles.monitoringReader, roles.logAnalyticsReader, roles.websiteContributor]: {
    name: guid(resourceGroup().id, identityPrincipalId, roleId)
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
