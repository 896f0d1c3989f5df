using DataRights.Testing.Azurite;

namespace DataRights.Integration.Tests.Connectors.AzureTable;

/// <summary>Azurite for one test class (<c>IClassFixture</c>); each test seeds tables of its own names in it.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not started.");

    // A start failure surfaces in every test of the class, with the reason: these tests never skip.
    public async Task InitializeAsync() => _server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
