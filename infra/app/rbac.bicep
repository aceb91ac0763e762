// Role assignments inside the Yardstick resource group: the app's identity on its own storage,
// on the results account, on Application Insights and (Log Analytics Reader) on its workspace; optionally the deploying user on the two
// storage accounts (local debugging, the CLI reading results, `yardstick worker` joining the hub).

@description('The app\'s own storage account (host storage, task hub, deployment container).')
param appStorageName string

@description('The results storage account (Runs/Baselines/Verdicts tables, yardstick-runs container).')
param resultsStorageName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Yardstick\'s own Log Analytics workspace (its App Insights and the sample target log there).')
param logAnalyticsName string

@description('Principal (object) id of the app\'s user-assigned identity.')
param identityPrincipalId string

@description('Principal id of the deploying user or pipeline; empty = no grants for it.')
param principalId string = ''

@description('Type of principalId.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

// Built-in role definition ids (AZURE-FACTS.md section 7, cross-checked in public templates).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'
}

// Host storage: Blob Data Owner (the Functions host manages blob leases and containers, Flex
// reads the deployment package), Queue + Table Data Contributor (Durable Task's queues and
// history/instances tables).
var appStorageRoles = [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]

// Results: read/write blobs and table rows, nothing more.
var resultsStorageRoles = [roles.storageBlobDataContributor, roles.storageTableDataContributor]

resource appStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: appStorageName
}

resource resultsStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: resultsStorageName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = {
  name: logAnalyticsName
}

resource appOnAppStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appStorageRoles: {
    name: guid(appStorage.id, identityPrincipalId, roleId)
    scope: appStorage
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource appOnResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in resultsStorageRoles: {
    name: guid(resultsStorage.id, identityPrincipalId, roleId)
    scope: resultsStorage
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource appOnInsights 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// Server-side durations of targets that log to Yardstick's own workspace (the sample target does),
// also when the target resource group is another one.
resource appOnWorkspace 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(logAnalytics.id, identityPrincipalId, roles.logAnalyticsReader)
  scope: logAnalytics
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.logAnalyticsReader)
  }
}

resource userOnAppStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in (empty(principalId) ? [] : appStorageRoles): {
    name: guid(appStorage.id, principalId, roleId)
    scope: appStorage
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource userOnResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in (empty(principalId) ? [] : resultsStorageRoles): {
    name: guid(resultsStorage.id, principalId, roleId)
    scope: resultsStorage
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
