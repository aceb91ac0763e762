// The Yardstick Functions host (service `api` in azure.yaml): Durable Functions on the Azure
// Storage backend, HTTP API with function keys, nightly timer. Every app setting the code reads
// is listed in infra/app-settings.json; a test (tests/Yardstick.Functions.Tests/Infra) checks
// that each required one is set in the appSettings object below.

@description('Function app name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the plan and app (the app also gets azd-service-name).')
param tags object = {}

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Blob endpoint of the app\'s own storage account (AzureWebJobsStorage, task hub, deployment).')
param appStorageBlobEndpoint string

@description('Queue endpoint of the app\'s own storage account.')
param appStorageQueueEndpoint string

@description('Table endpoint of the app\'s own storage account.')
param appStorageTableEndpoint string

@description('Deployment container in the app\'s storage account.')
param deploymentContainerName string

@description('Blob endpoint of the results storage account (YARDSTICK_STORAGE).')
param resultsBlobEndpoint string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Durable Task hub name (host.json reads it as %YARDSTICK_TASK_HUB%).')
param taskHubName string

@description('Comma-separated host names the app may send load to.')
param allowedTargetHosts string

@description('NCRONTAB (six fields, UTC) for the nightly timer.')
param nightlySchedule string

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Whether targets in Yardstick\'s own resource group are admitted (YARDSTICK_ALLOW_OWN_RESOURCE_GROUP); its own app never is.')
param allowOwnResourceGroup bool = false

@description('Always-ready instances for the durable trigger group (0 = scale to zero).')
@minValue(0)
@maxValue(10)
param alwaysReadyDurableInstances int = 1

// The Durable guidance for Flex (durable-functions-azure-storage-provider) is one always-ready
// instance in the `durable` group: the Azure Storage backend is polled, and an app scaled to zero
// notices new orchestration messages only when the scale controller wakes it, which adds seconds
// to every step of a run and can make shards miss their planned common start time. Costs one
// instance's always-ready baseline (see docs/deploy.md); set 0 to trade latency for cost.
var alwaysReady = alwaysReadyDurableInstances > 0 ? [{ name: 'durable', instanceCount: alwaysReadyDurableInstances }] : []

module app 'flex-function-app.bicep' = {
  name: 'api-flex-app'
  params: {
    name: name
    planName: planName
    location: location
    planTags: tags
    appTags: union(tags, { 'azd-service-name': 'api' })
    identityId: identityId
    deploymentBlobEndpoint: appStorageBlobEndpoint
    deploymentContainerName: deploymentContainerName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReady: alwaysReady
    appSettings: {
      // Identity-based host storage. Durable (Azure Storage backend) needs all three service URIs.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: appStorageBlobEndpoint
      AzureWebJobsStorage__queueServiceUri: appStorageQueueEndpoint
      AzureWebJobsStorage__tableServiceUri: appStorageTableEndpoint
      // Telemetry over Entra ID (local auth is disabled on the component).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // Yardstick.
      YARDSTICK_TASK_HUB: taskHubName
      YARDSTICK_STORAGE: resultsBlobEndpoint
      AZURE_CLIENT_ID: identityClientId
      YARDSTICK_ALLOWED_HOSTS: allowedTargetHosts
      YARDSTICK_NIGHTLY_SCHEDULE: nightlySchedule
      YARDSTICK_ALLOW_OWN_RESOURCE_GROUP: allowOwnResourceGroup ? 'true' : 'false'
      // The benchmark's own cost (shown beside a run's) uses this app's memory size and region.
      YARDSTICK_INSTANCE_MEMORY_MB: string(instanceMemoryMB)
      YARDSTICK_REGION: location
      // Load generation: run socket continuations inline (saves 4.5-10 us/request, ARCHITECTURE.md).
      DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS: '1'
    }
  }
}

@description('Function app name.')
output name string = app.outputs.name

@description('Function app resource id.')
output id string = app.outputs.id

@description('HTTPS base URI of the app.')
output uri string = 'https://${app.outputs.defaultHostName}'
