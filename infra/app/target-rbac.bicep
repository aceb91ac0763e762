// Deployed at the TARGET resource group's scope: lets the Yardstick app's identity read the
// targets' meters and logs and act on them (restart to force a cold start, change settings for
// sweeps). Scoped to that one resource group, never the subscription.
//
// The acting part is a custom role holding only the ARM actions Yardstick calls (AZURE-FACTS.md
// section 5 maps each call to its action), instead of Website Contributor, which can also change
// hostnames, certificates, deployment slots, publishing profiles and plans.

@description('Principal (object) id of the Yardstick app\'s identity.')
param identityPrincipalId string

var roles = {
  // Read Azure Monitor metrics (Flex/Consumption execution units and counts).
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05'
  // Query Log Analytics / workspace-based App Insights (server-side durations, cold starts).
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'
}

resource targetOperator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'yardstick-target-operator')
  properties: {
    // Role names are unique in the tenant: one role per target resource group.
    roleName: 'Yardstick target operator (${subscription().subscriptionId}/${resourceGroup().name})'
    description: 'What Yardstick does to the function apps it benchmarks: read the site, restart it, read and write its app settings, PATCH its Flex scale settings. Nothing else.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          // GET the site: state, host names (binding target.azure.resourceId to target.url), scale settings.
          'Microsoft.Web/sites/read'
          // PATCH properties.functionAppConfig.scaleAndConcurrency (sweeps of Flex scale settings).
          'Microsoft.Web/sites/write'
          // Poll the long-running operation a site PATCH or a restart may answer with.
          'Microsoft.Web/sites/operationresults/read'
          // POST restart (cold-start strategy restart).
          'Microsoft.Web/sites/restart/action'
          // Site configuration reads (the appsettings resource belongs to config).
          'Microsoft.Web/sites/config/read'
          // POST config/appsettings/list: the values, read before every settings write and for restore.
          'Microsoft.Web/sites/config/list/action'
          // PUT config/appsettings (appSetting sweeps, the appSetting cold-start strategy, restores).
          'Microsoft.Web/sites/config/write'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource builtInAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in [roles.monitoringReader, roles.logAnalyticsReader]: {
    name: guid(resourceGroup().id, identityPrincipalId, roleId)
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource operatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identityPrincipalId, targetOperator.id)
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: targetOperator.id
  }
}
