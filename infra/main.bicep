// DataRights on Azure, one region per deployment (resource group scope):
// Function App (Flex Consumption, Linux, dotnet-isolated 10.0) with a user-assigned identity, storage (Durable task
// hub, tables, exports; no shared keys), a Service Bus namespace (the events topic the app publishes to, and
// on-premises agent queues not used by the app yet), Key Vault (RBAC), Application Insights on Log Analytics.
// Compiled by ./test.sh (tools/bicep/build.sh, Bicep CLI from NuGet) with every parameter file; not deployed
// (infra/README.md).
targetScope = 'resourceGroup'

import { agentQueue } from 'modules/servicebus.bicep'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Short name of the deployment, used in resource names (letters and digits).')
@minLength(3)
@maxLength(12)
param name string

@description('Data residency region tag (eastus, westus, westeurope, ...): which region\'s data this deployment holds.')
param dataRegion string = location

@description('Public address of the app for links in emails (a custom domain, https). Empty: https:// and the Function App\'s default host name.')
param publicBaseUrl string = ''

@description('Entra ID tenant of the staff tokens.')
param entraTenantId string = subscription().tenantId

@description('Application ID URI of the DataRights API app registration (aud of staff tokens).')
param entraAudience string

@description('Application (client) id of the API app registration (aud of v2 tokens). Optional.')
param entraClientId string = ''

@description('Name of the Key Vault secret holding the app registration\'s client secret: turns on browser sign-in of approvers (needs entraClientId; redirect URI {publicBaseUrl}/signin/callback). Empty: off.')
param entraClientSecretName string = ''

@description('Require approvers on emailed approval pages to be signed in (DataRights:Links:ApproverSignInRequired).')
param approverSignInRequired bool = false

param operatorName string
@description('The controller\'s postal address, in the footer of every message (required outside Development).')
param operatorAddress string
param privacyContactEmail string
param approvers array
param fallbackApprover string
param staffAlerts string
param defaultJurisdiction string = 'UK'
param digestTimeZone string = 'Europe/London'

@description('SendGrid sender (verified in SendGrid).')
param sendGridFromEmail string
param sendGridFromName string = operatorName

@description('SendGrid API key, stored in Key Vault. Empty: set the secret sendgrid-api-key yourself after deployment.')
@secure()
param sendGridApiKey string = ''

@description('Base64 of 32+ random bytes that signs emailed links, stored in Key Vault. Empty: set link-key-k1 yourself.')
@secure()
param linkSigningKey string = ''

@description('Base64 of 32+ random bytes that signs status links, stored in Key Vault. Empty: set status-link-key yourself.')
@secure()
param statusLinkKey string = ''

@description('Base64 of exactly 32 random bytes that seals exports (AES-256-GCM), stored in Key Vault. Every instance must share it to open exports another built. Empty: set export-key yourself.')
@secure()
param exportKey string = ''

@description('Base64 of 32+ random bytes, the key of keyed-hash masks, stored in Key Vault. Every instance must share it so one person is masked alike everywhere. Empty: set mask-key yourself.')
@secure()
param maskKey string = ''

@description('Base64 of 32+ random bytes, the key of the keyed hashes of verification details and of addresses (the inbox\'s address search, the per-address verification limit), stored in Key Vault. Every instance must share it. Empty: set verification-hash-key yourself.')
@secure()
param verificationHashKey string = ''

@description('Flex Consumption scale-out limit and instance size.')
param maximumInstanceCount int = 40
param instanceMemoryMB int = 2048

@description('On-premises agents, one Service Bus queue each (agent-NAME: commands for data sources Azure cannot reach; docs/agent.md).')
param agents agentQueue[] = []

param tags object = {}

var token = toLower(uniqueString(resourceGroup().id, name))
var allTags = union(tags, { app: 'datarights', 'data-region': dataRegion })

// Approvers__0, Approvers__1, ... as the program's configuration binds a list.
var approverSettings = toObject(range(0, length(approvers)), i => 'DataRights__Workflow__Approvers__${i}', i => string(approvers[i]))

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-datarights-${name}', location: location, tags: allTags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: name
    location: location
    tags: allTags
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('stdr${name}${token}', 24)
    location: location
    tags: allTags
    principalId: identity.outputs.principalId
    deploymentContainerName: 'app-package'
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-datarights-${name}-${token}'
    location: location
    tags: allTags
    agents: agents
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv-dr-${name}-${token}', 24)
    location: location
    tags: allTags
    principalId: identity.outputs.principalId
    sendGridApiKey: sendGridApiKey
    linkSigningKey: linkSigningKey
    statusLinkKey: statusLinkKey
    exportKey: exportKey
    maskKey: maskKey
    verificationHashKey: verificationHashKey
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: 'func-datarights-${name}-${token}'
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    publicBaseUrl: publicBaseUrl
    appSettings: union(approverSettings, {
      ASPNETCORE_ENVIRONMENT: 'Production'
      DataRights__OperatorName: operatorName
      DataRights__OperatorAddress: operatorAddress
      DataRights__PrivacyContactEmail: privacyContactEmail
      DataRights__DefaultJurisdiction: defaultJurisdiction
      DataRights__DataDirectory: '/tmp/datarights'
      // The Functions host hands each request to the worker from 127.0.0.1, the caller in X-Forwarded-For: without these,
      // every caller would share one per-client rate limit and requests would look like plain http.
      DataRights__ForwardedHeaders__KnownProxies__0: '127.0.0.1'
      DataRights__ForwardedHeaders__ForwardLimit: '1'
      // The submission queue, on AzureWebJobsStorage: the intake function sends to it and the queue trigger reads it.
      DataRights__Durable__SubmissionQueue: 'datarights-submissions'
      DataRights__Storage__Provider: 'azure-tables'
      DataRights__Storage__TableEndpoint: storage.outputs.tableEndpoint
      DataRights__Storage__BlobEndpoint: storage.outputs.blobEndpoint
      DataRights__Storage__ExportContainer: storage.outputs.exportContainerName
      DataRights__Storage__AccountName: storage.outputs.name
      DataRights__Storage__UseManagedIdentity: 'true'
      DataRights__Storage__ManagedIdentityClientId: identity.outputs.clientId
      DataRights__KeyVault__VaultUri: keyVault.outputs.vaultUri
      DataRights__KeyVault__ManagedIdentityClientId: identity.outputs.clientId
      DataRights__StatusLinkKey: keyVault.outputs.statusLinkKeyReference
      // The export key as the program reads it (env:NAME); the variable is a Key Vault reference, shared by every instance.
      DATARIGHTS_EXPORT_KEY: keyVault.outputs.exportKeyReference
      DataRights__ExportKey: 'env:DATARIGHTS_EXPORT_KEY'
      DATARIGHTS_MASK_KEY: keyVault.outputs.maskKeyReference
      DataRights__MaskKey: 'env:DATARIGHTS_MASK_KEY'
      DATARIGHTS_VERIFICATION_HASH_KEY: keyVault.outputs.verificationHashKeyReference
      DataRights__Verification__HashKey: 'env:DATARIGHTS_VERIFICATION_HASH_KEY'
      DataRights__LinkKeys__k1: keyVault.outputs.linkKeyReference
      DataRights__ActiveLinkKeyId: 'k1'
      DataRights__Entra__TenantId: entraTenantId
      DataRights__Entra__Audience: entraAudience
      DataRights__Entra__ClientId: entraClientId
      DataRights__Entra__ClientSecret: empty(entraClientSecretName) ? '' : 'keyvault:${entraClientSecretName}'
      DataRights__Links__ApproverSignInRequired: string(approverSignInRequired)
      DataRights__Email__Provider: 'sendgrid'
      DataRights__SendGrid__ApiKey: keyVault.outputs.sendGridApiKeyReference
      DataRights__SendGrid__FromEmail: sendGridFromEmail
      DataRights__SendGrid__FromName: sendGridFromName
      DataRights__Workflow__FallbackApprover: fallbackApprover
      DataRights__Workflow__StaffAlerts: staffAlerts
      DataRights__Workflow__DigestTimeZone: digestTimeZone
      // Request changes and purge reports, as CloudEvents, to the events topic, signed in with the app's identity.
      DataRights__Events__Source: '/datarights/${location}'
      DataRights__Events__ServiceBus__FullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      DataRights__Events__ServiceBus__TopicName: serviceBus.outputs.eventsTopicName
      DataRights__Events__ServiceBus__ManagedIdentityClientId: identity.outputs.clientId
      DataRights__Agents__ServiceBus__FullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
      DataRights__Agents__ServiceBus__ManagedIdentityClientId: identity.outputs.clientId
    })
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output publicBaseUrl string = functionApp.outputs.publicBaseUrl
output keyVaultName string = keyVault.outputs.name
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output serviceBusEventsTopic string = serviceBus.outputs.eventsTopicName
output agentQueueNames string[] = serviceBus.outputs.agentQueueNames
output storageAccountName string = storage.outputs.name
output tableEndpoint string = storage.outputs.tableEndpoint
output blobEndpoint string = storage.outputs.blobEndpoint
output exportContainerName string = storage.outputs.exportContainerName
output identityClientId string = identity.outputs.clientId
