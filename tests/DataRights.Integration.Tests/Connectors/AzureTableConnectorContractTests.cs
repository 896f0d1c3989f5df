using DataRights.Core.Sources;
using DataRights.Integration.Tests.Connectors.AzureTable;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>The connector contract on Azurite, through the <c>azure-table</c> connector type.</summary>
public sealed class AzureTableConnectorContractTests(AzuriteFixture azurite) : ConnectorContract, IClassFixture<AzuriteFixture>
{
    protected override SubjectIdentity Known { get; } = AzureTableDemo.Person(8);

    protected override async Task<(IDataSourceConnector, IReadOnlyList<string>)> CreateAsync()
    {
        var demo = await AzureTableDemo.CreateAsync(azurite.Server.TableEndpoint);
        return (demo.Connector(), ["billing.invoice"]);
    }

    // One device per person was registered in 2019: 60 rows past a 2021 cutoff, more than one batch of 50.
    protected override (string Category, DateOnly Cutoff)? Purgeable => ("telephony.device", new DateOnly(2021, 1, 1));
}
