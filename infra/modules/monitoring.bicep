// Log Analytics workspace and workspace-based Application Insights; local (key) ingestion off, the app's identity
// publishes metrics with Entra ID (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
param name string
param location string
param tags object
param principalId string
param retentionInDays int = 90

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: 'log-datarights-${name}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-datarights-${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

// Monitoring Metrics Publisher
var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource publish 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, metricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output connectionString string = appInsights.properties.ConnectionString
