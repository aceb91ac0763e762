// Log Analytics workspace + workspace-based Application Insights. Local (instrumentation-key)
// auth is disabled: apps send telemetry with Entra ID (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)
// and need Monitoring Metrics Publisher on the component. Request sampling is configured in the
// repository's host.json (samplingSettings.excludedTypes = "Request": requests stay unsampled).

@description('Log Analytics workspace name.')
param logAnalyticsName string

@description('Application Insights component name.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags for both resources.')
param tags object = {}

@description('Days to keep logs. 30 is the period included in the per-GB ingestion price.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

@description('Application Insights component name.')
output applicationInsightsName string = applicationInsights.name

@description('Application Insights component id.')
output applicationInsightsId string = applicationInsights.id

@description('Application Insights connection string (not a secret once local auth is off: ingestion needs an Entra token).')
output connectionString string = applicationInsights.properties.ConnectionString

@description('Log Analytics workspace resource id.')
output logAnalyticsId string = logAnalytics.id

@description('Log Analytics workspace name.')
output logAnalyticsName string = logAnalytics.name

@description('Log Analytics workspace id (customer id, a GUID): what target.azure.logAnalyticsWorkspaceId takes.')
output logAnalyticsCustomerId string = logAnalytics.properties.customerId
