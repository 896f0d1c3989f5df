// Secrets by reference only: app settings are Key Vault references resolved with the managed identity.
param name string
param location string
param tags object
param principalId string

@secure()
param sendGridApiKey string
@secure()
param linkSigningKey string
@secure()
param statusLinkKey string
@secure()
param exportKey string = ''
@secure()
param maskKey string = ''
@secure()
param verificationHashKey string = ''

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

var secretNames = {
  sendGrid: 'sendgrid-api-key'
  linkKey: 'link-key-k1'
  statusLinkKey: 'status-link-key'
  exportKey: 'export-key'
  maskKey: 'mask-key'
  verificationHashKey: 'verification-hash-key'
}

resource sendGrid 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: secretNames.sendGrid
  properties: { value: sendGridApiKey }
}

resource linkKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(linkSigningKey)) {
  parent: vault
  name: secretNames.linkKey
  properties: { value: linkSigningKey }
}

resource statusKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(statusLinkKey)) {
  parent: vault
  name: secretNames.statusLinkKey
  properties: { value: statusLinkKey }
}

resource exportSealingKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(exportKey)) {
  parent: vault
  name: secretNames.exportKey
  properties: { value: exportKey }
}

resource maskHashKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(maskKey)) {
  parent: vault
  name: secretNames.maskKey
  properties: { value: maskKey }
}

resource verificationKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(verificationHashKey)) {
  parent: vault
  name: secretNames.verificationHashKey
  properties: { value: verificationHashKey }
}

// Key Vault Secrets User: read secret values, nothing else.
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
output sendGridApiKeyReference string = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secretNames.sendGrid})'
output linkKeyReference string = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secretNames.linkKey})'
output exportKeyReference string = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secretNames.exportKey})'
output maskKeyReference string = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secretNames.maskKey})'
output verificationHashKeyReference string = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secretNames.verificationHashKey})'
output statusLinkKeyReference string = '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${secretNames.statusLinkKey})'
