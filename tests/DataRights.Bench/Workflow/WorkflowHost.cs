using Azure.Core;
using DataRights.Core.Sources;
using DataRights.Host.Storage;
using DataRights.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Bench.Workflow;

/// <summary>
/// The real program in-process (Development, for the staff header), with fake data sources of a
/// fixed latency in place of the configured ones, and its request orchestrations running for real on the local task hub.
/// </summary>
internal sealed class WorkflowHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly InMemorySourceRegistry sources;

    public WorkflowHost(IReadOnlyDictionary<string, string?> settings, InMemorySourceRegistry sources)
    {
        this.settings = settings;
        this.sources = sources;
        Hosting.ProgramHost.PinContentRoot();
    }

    /// <summary>The calls the program's storage clients made (see <see cref="StoreCallCounter"/>).</summary>
    public StoreCallCounter StoreCalls { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("DataRights:DevSignIn", "true");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IDataSourceRegistry>(sources);
            services.Configure<StorageClientDefaults>(defaults => defaults.Configure.Add(options => options.AddPolicy(StoreCalls, HttpPipelinePosition.PerCall)));
        });
    }
}
