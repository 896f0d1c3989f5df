// Parameters for `azd up` (azure.yaml): azd provisions infra/main.bicep with this file, reading the values from the
// azd environment (`azd env set NAME VALUE`; azd also sets AZURE_ENV_NAME and AZURE_LOCATION). A variable without a
// default below must be set, or the compilation fails and names it. For a deployment without azd use one of
// parameters/<region>.bicepparam (infra/README.md).
using 'main.bicep'

param location = readEnvironmentVariable('AZURE_LOCATION')
// Storage account names take letters and digits only: the azd environment name without '-' and '_', lower case.
param name = take(toLower(replace(replace(readEnvironmentVariable('DATARIGHTS_NAME', readEnvironmentVariable('AZURE_ENV_NAME')), '-', ''), '_', '')), 12)
param dataRegion = readEnvironmentVariable('AZURE_LOCATION')
param publicBaseUrl = readEnvironmentVariable('DATARIGHTS_PUBLIC_BASE_URL', '')
param entraAudience = readEnvironmentVariable('DATARIGHTS_ENTRA_AUDIENCE')
param entraClientId = readEnvironmentVariable('DATARIGHTS_ENTRA_CLIENT_ID', '')
param operatorName = readEnvironmentVariable('DATARIGHTS_OPERATOR_NAME')
param operatorAddress = readEnvironmentVariable('DATARIGHTS_OPERATOR_ADDRESS')
param privacyContactEmail = readEnvironmentVariable('DATARIGHTS_PRIVACY_CONTACT_EMAIL')
// Comma-separated addresses.
param approvers = split(readEnvironmentVariable('DATARIGHTS_APPROVERS'), ',')
param fallbackApprover = readEnvironmentVariable('DATARIGHTS_FALLBACK_APPROVER')
param staffAlerts = readEnvironmentVariable('DATARIGHTS_STAFF_ALERTS')
param defaultJurisdiction = readEnvironmentVariable('DATARIGHTS_DEFAULT_JURISDICTION')
param digestTimeZone = readEnvironmentVariable('DATARIGHTS_DIGEST_TIME_ZONE')
param sendGridFromEmail = readEnvironmentVariable('DATARIGHTS_SENDGRID_FROM_EMAIL')
param sendGridApiKey = readEnvironmentVariable('DATARIGHTS_SENDGRID_API_KEY', '')
param linkSigningKey = readEnvironmentVariable('DATARIGHTS_LINK_SIGNING_KEY', '')
param statusLinkKey = readEnvironmentVariable('DATARIGHTS_STATUS_LINK_KEY', '')
param exportKey = readEnvironmentVariable('DATARIGHTS_EXPORT_KEY', '')
param maskKey = readEnvironmentVariable('DATARIGHTS_MASK_KEY', '')
param verificationHashKey = readEnvironmentVariable('DATARIGHTS_VERIFICATION_HASH_KEY', '')
// On-premises agents as JSON, one Service Bus queue each: [{"name":"agent-1","principalId":"<object id>"}]
// (principalId optional: the agent's identity, given Data Receiver on its queue).
param agents = json(readEnvironmentVariable('DATARIGHTS_AGENTS', '[]'))
param tags = { 'azd-env-name': readEnvironmentVariable('AZURE_ENV_NAME') }
