// Log Analytics workspace and workspace-based Application Insights; local (key) ingestion off, the app's identity
// publishes metrics with Entra ID (APPLICATIONINSIGHTS_AUTHENTICATION_STRING). Link tokens are taken out of the
// requests and traces the workspace keeps (the workspace transformation rule below).
param name string
param location string
param tags object
param principalId string
param retentionInDays int = 90

var workspaceName = 'log-datarights-${name}'

module workspace 'workspace.bicep' = {
  name: 'monitoring-workspace'
  params: { name: workspaceName, location: location, tags: tags, retentionInDays: retentionInDays }
}

// Emailed links carry single-use bearer tokens in their path (verify/{token}, approve/{token}, status/{token}, ...).
// The Functions host records every HTTP request's URL in Application Insights (AppRequests), where anyone who may
// read the workspace could use a link not yet used for as long as it is kept (the worker's own request logging is
// off: FunctionAppLogging). This ingestion-time transformation writes {token} in place of the token in every such
// path in requests and traces, and drops query strings from request URLs. Functions
// allowed in transformations are a subset of KQL: replace(regex, rewrite, text) is the one that replaces (the
// Supported KQL features page uses it; replace_regex and replace_string are not listed). The routes are every HTTP
// function's route with a {token} parameter (a test checks each is covered).
var redactLinkTokens = '''
let tokenPath = @"(?i)(/(?:api/status|api/callbacks|status|verify|approve|information|task|purge-task|download)/)[^/?#\s""\\]+";
let redact = (value: string) { replace(tokenPath, @"\1{token}", value) };
'''

var requestsTransform = '${redactLinkTokens}${requestsQuery}'
var requestsQuery = '''
source
| extend Url = replace(@"[?#].*$", "", redact(Url)), Name = redact(Name), OperationName = redact(OperationName), Properties = parse_json(redact(tostring(Properties)))
'''

var tracesTransform = '${redactLinkTokens}${tracesQuery}'
var tracesQuery = '''
source
| extend Message = redact(Message), Properties = parse_json(redact(tostring(Properties)))
'''

resource transforms 'Microsoft.Insights/dataCollectionRules@2024-03-11' = {
  name: 'dcr-datarights-${name}-workspace'
  location: location
  tags: tags
  kind: 'WorkspaceTransforms'
  properties: {
    destinations: {
      logAnalytics: [
        { name: 'workspace', workspaceResourceId: workspace.outputs.id }
      ]
    }
    dataFlows: [
      { streams: ['Microsoft-Table-AppRequests'], destinations: ['workspace'], transformKql: requestsTransform }
      { streams: ['Microsoft-Table-AppTraces'], destinations: ['workspace'], transformKql: tracesTransform }
    ]
  }
}

// The same workspace again, now linked to the rule (its default data collection rule).
module linkedWorkspace 'workspace.bicep' = {
  name: 'monitoring-workspace-transforms'
  params: {
    name: workspaceName
    location: location
    tags: tags
    retentionInDays: retentionInDays
    defaultDataCollectionRuleResourceId: transforms.id
  }
}

// On the linked workspace, so no telemetry reaches the workspace before the rule applies to it.
resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-datarights-${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: linkedWorkspace.outputs.id
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
