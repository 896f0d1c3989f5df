// The Log Analytics workspace, in one place so monitoring.bicep can deploy it twice: first alone, then linked to its
// transformation rule, which names the workspace as its destination (a workspace links only to a rule that exists).
param name string
param location string
param tags object
param retentionInDays int

@description('The workspace transformation rule (kind WorkspaceTransforms) to link. Empty: none yet.')
param defaultDataCollectionRuleResourceId string = ''

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    defaultDataCollectionRuleResourceId: empty(defaultDataCollectionRuleResourceId) ? null : defaultDataCollectionRuleResourceId
  }
}

output id string = workspace.id
