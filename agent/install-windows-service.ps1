# Installs the DataRights on-premises agent as a Windows service (docs/agent.md). Run as Administrator from the folder
# the agent was published to (dotnet publish agent/DataRights.Agent -c Release -r win-x64 --self-contained -o C:\DataRights\Agent).
param(
    [string]$InstallDir = "C:\DataRights\Agent",
    [string]$ServiceName = "DataRightsAgent"
)
$ErrorActionPreference = "Stop"

# Settings come from appsettings.json beside the program; secrets from machine environment variables, never the file.
foreach ($name in "DATARIGHTS_AGENT_SECRET", "AZURE_TENANT_ID", "AZURE_CLIENT_ID") {
    if (-not [Environment]::GetEnvironmentVariable($name, "Machine")) {
        throw "Set the machine environment variable $name first (docs/agent.md)."
    }
}

New-Service -Name $ServiceName -DisplayName "DataRights Agent" `
    -Description "Answers the DataRights pipeline's commands for the data sources in this network (outbound connections only)." `
    -BinaryPathName "`"$InstallDir\DataRights.Agent.exe`"" -StartupType Automatic
# Start again after a failure: after 10 seconds, every time.
sc.exe failure $ServiceName reset= 86400 actions= restart/10000/restart/10000/restart/10000 | Out-Null
Start-Service -Name $ServiceName
Get-Service -Name $ServiceName
