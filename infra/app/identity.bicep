// A user-assigned managed identity. The function apps run as it (storage, App Insights, ARM);
// user-assigned rather than system-assigned so role assignments can be created before the app
// exists and survive re-creating the app.

@description('Identity name.')
param name string

@description('Azure region.')
param location string

@description('Tags for the identity.')
param tags object = {}

// 2023-01-31 is the GA api-version of this type; checked against the Bicep type index (the
// compiler's built-in types warn with BCP081 on an unknown version, and bicep-check.sh fails then).
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id (for identity blocks and deployment storage authentication).')
output id string = identity.id

@description('Object (principal) id, for role assignments.')
output principalId string = identity.properties.principalId

@description('Client id, for AzureWebJobsStorage__clientId / AZURE_CLIENT_ID / App Insights AAD auth.')
output clientId string = identity.properties.clientId

@description('Identity name.')
output name string = identity.name
