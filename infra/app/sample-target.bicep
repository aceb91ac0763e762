// Optional sample target (main.bicep parameter deploySampleTarget): an empty Flex Consumption
// function app in the target resource group, so a first benchmark has something to aim at.
// It scales to zero (no always-ready instances) so cold starts can be measured.
// Deploying CODE to it is out of scope here: publish any HTTP-triggered .NET isolated app to it
// (e.g. `func azure functionapp publish <name>` or a zip deploy); until then it answers 404.
// It has its own identity, storage and App Insights component: nothing of Yardstick's is shared
// with the system under test except the Log Analytics workspace its telemetry lands in.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Short unique suffix for names.')
param resourceToken string

@description('Resource id of the Log Analytics workspace for the target\'s telemetry.')
param logAnalyticsId string

var abbrs = loadJsonContent('../abbreviations.json')
var deploymentContainerName = 'app-package'
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}target-${resourceToken}'
var storageName = '${abbrs.storageStorageAccounts}tgt${resourceToken}'

module identity 'identity.bicep' = {
  name: 'sample-target-identity-${resourceToken}'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'storage-account.bicep' = {
  name: 'sample-target-storage-${resourceToken}'
  params: {
    name: storageName
    location: location
    tags: tags
    containerNames: [deploymentContainerName]
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${abbrs.insightsComponents}target-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalyticsId
    DisableLocalAuth: true
  }
}

// Referenced by name (known at the start of the deployment, as role assignment names and scopes
// must be); the assignment below waits for the storage module explicitly.
resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageName
}

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

// Blob only: a plain HTTP app's host uses blob storage (locks, keys, deployment package).
resource identityOnStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount.id, identityName, storageBlobDataOwner)
  scope: storageAccount
  properties: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
  dependsOn: [storage]
}

resource identityOnInsights 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityName, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

module app 'flex-function-app.bicep' = {
  name: 'sample-target-flex-app-${resourceToken}'
  params: {
    name: '${abbrs.webSitesFunctions}target-${resourceToken}'
    planName: '${abbrs.webServerFarms}target-${resourceToken}'
    location: location
    planTags: tags
    appTags: tags
    identityId: identity.outputs.id
    deploymentBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    instanceMemoryMB: 2048
    maximumInstanceCount: 40
    alwaysReady: []
    appSettings: {
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
    }
  }
  // The host needs its storage and telemetry roles on first start.
  dependsOn: [identityOnStorage, identityOnInsights]
}

@description('Sample target function app name.')
output name string = app.outputs.name

@description('Sample target default host name (added to the allow-list by main.bicep).')
output defaultHostName string = app.outputs.defaultHostName
