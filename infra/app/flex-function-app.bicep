// One Flex Consumption (FC1) plan and the one function app it can hold (Flex allows one app per
// plan). .NET isolated on Linux, a user-assigned identity, code deployed from a blob container
// the identity can read. Callers pass their app settings as an object (name: value).

@description('Function app name (also the default host name prefix).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region (must offer Flex Consumption).')
param location string

@description('Tags for the plan.')
param planTags object = {}

@description('Tags for the app; azd finds the app to deploy by its azd-service-name tag.')
param appTags object = {}

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Blob endpoint of the storage account holding the deployment container (trailing slash).')
param deploymentBlobEndpoint string

@description('Deployment container name.')
param deploymentContainerName string

@description('.NET isolated runtime version.')
param runtimeVersion string = '10.0'

@description('Memory per instance in MB: 512 (0.25 core), 2048 (1 core) or 4096 (2 cores).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on instances the plan scales out to (Flex range 40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready instance groups, e.g. [{ name: \'durable\', instanceCount: 1 }]. Empty = scale to zero.')
param alwaysReady object[] = []

@description('App settings as an object of name: value pairs.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: planTags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION here: the runtime
      // lives in functionAppConfig.runtime below.
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
      }
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }
}

// No basic (user name + password) publishing: deployment goes through the blob container with the
// identity, and Kudu/FTP credentials would be a second, key-like way to change the app's code.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

@description('Function app name.')
output name string = site.name

@description('Function app resource id.')
output id string = site.id

@description('Default host name, e.g. func-abc.azurewebsites.net.')
output defaultHostName string = site.properties.defaultHostName

@description('Plan resource id.')
output planId string = plan.id
