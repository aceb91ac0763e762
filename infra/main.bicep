// Yardstick on Azure: `azd up` provisions this, then deploys src/Yardstick.Functions to the
// function app tagged azd-service-name=api. See docs/deploy.md for what it creates and costs.
targetScope = 'subscription'

@description('azd environment name; names the resource group rg-<name> and seeds resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region for every resource (must offer Flex Consumption).')
@minLength(1)
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user or pipeline principal; gets data access to both storage accounts for local debugging. Empty = none.')
param principalId string = ''

@description('Type of principalId.')
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

@description('Existing resource group holding the apps to benchmark; Yardstick gets Monitoring Reader, Log Analytics Reader and the custom Yardstick target operator role there. Empty = Yardstick\'s own resource group (then targets there are admitted; Yardstick\'s own app never is).')
param targetResourceGroupName string = ''

@description('Comma-separated host names Yardstick may send load to (YARDSTICK_ALLOWED_HOSTS). The sample target, when deployed, is added automatically.')
param allowedTargetHosts string = ''

@description('NCRONTAB schedule (six fields, UTC) for workloads marked `schedule: nightly`.')
param nightlySchedule string = '0 0 2 * * *'

@description('Deploy an empty sample target function app into the target resource group (its code deployment is not part of this template).')
param deploySampleTarget bool = false

@description('Durable task hub name (YARDSTICK_TASK_HUB): 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'yardstick'

@description('Memory per Yardstick instance in MB: 512 (0.25 core), 2048 (1 core) or 4096 (2 cores).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on Yardstick instances (Flex range 40-1000); bounds the load one deployment can generate.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready instances in the durable group (1 recommended for Durable on Flex; 0 = scale to zero, cheapest).')
@minValue(0)
@maxValue(10)
param alwaysReadyDurableInstances int = 1

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var deploymentContainerName = 'app-package'
var resolvedTargetResourceGroupName = empty(targetResourceGroupName) ? rg.name : targetResourceGroupName

// Bicep has no pattern decorator: the hub name's letters are checked here, and a bad name stops the
// deployment before anything is created (the app would otherwise fail on its first storage call).
var letters = 'abcdefghijklmnopqrstuvwxyz'
var taskHubNameIsValid = contains(letters, toLower(substring(taskHubName, 0, 1))) && empty(filter(
  range(0, length(taskHubName)),
  i => !contains('${letters}0123456789', toLower(substring(taskHubName, i, 1)))
))

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

resource targetRg 'Microsoft.Resources/resourceGroups@2024-03-01' existing = {
  name: resolvedTargetResourceGroupName
}

module identity 'app/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module appStorage 'app/storage-account.bicep' = {
  scope: rg
  name: 'app-storage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    containerNames: [deploymentContainerName]
  }
}

module resultsStorage 'app/storage-account.bicep' = {
  scope: rg
  name: 'results-storage'
  params: {
    name: '${abbrs.storageStorageAccounts}res${resourceToken}'
    location: location
    tags: tags
    // Layout: ARCHITECTURE.md -> Storage. Yardstick.Storage also creates them if missing.
    containerNames: ['yardstick-runs']
    tableNames: ['Runs', 'Baselines', 'Verdicts']
  }
}

module monitoring 'app/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module sampleTarget 'app/sample-target.bicep' = if (deploySampleTarget) {
  scope: targetRg
  name: 'sample-target-${resourceToken}'
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

var sampleTargetHosts = deploySampleTarget ? [sampleTarget!.outputs.defaultHostName] : []
var allowedHostList = filter(
  map(concat(split(allowedTargetHosts, ','), sampleTargetHosts), host => trim(host)),
  host => !empty(host)
)

module api 'app/api.bicep' = {
  scope: rg
  name: 'api'
  params: {
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    appStorageBlobEndpoint: appStorage.outputs.blobEndpoint
    appStorageQueueEndpoint: appStorage.outputs.queueEndpoint
    appStorageTableEndpoint: appStorage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    resultsBlobEndpoint: resultsStorage.outputs.blobEndpoint
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    taskHubName: taskHubNameIsValid ? taskHubName : fail('taskHubName \'${taskHubName}\' must be 3-45 letters and digits, starting with a letter.')
    allowedTargetHosts: join(allowedHostList, ',')
    nightlySchedule: nightlySchedule
    allowOwnResourceGroup: resolvedTargetResourceGroupName == rg.name
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
  }
  // The app's first start needs its storage and telemetry roles; without them the host fails to
  // start and the deployment (and azd deploy) reports a misleading error.
  dependsOn: [rbac]
}

module rbac 'app/rbac.bicep' = {
  scope: rg
  name: 'rbac'
  params: {
    appStorageName: appStorage.outputs.name
    resultsStorageName: resultsStorage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    logAnalyticsName: monitoring.outputs.logAnalyticsName
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
  }
}

module targetRbac 'app/target-rbac.bicep' = {
  scope: targetRg
  name: 'yardstick-target-rbac-${resourceToken}'
  params: {
    identityPrincipalId: identity.outputs.principalId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output YARDSTICK_STORAGE string = resultsStorage.outputs.blobEndpoint
output YARDSTICK_TASK_HUB string = taskHubName
output YARDSTICK_TARGET_RESOURCE_GROUP string = resolvedTargetResourceGroupName
output YARDSTICK_SAMPLE_TARGET_NAME string = deploySampleTarget ? sampleTarget!.outputs.name : ''
output YARDSTICK_LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.logAnalyticsCustomerId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
