using DataRights.Core.Sources;
using DataRights.Host.Workflow;
using DataRights.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>The real program over in-memory HTTP with the given storage settings, a fake clock, and the queue drained by hand.</summary>
public sealed class HostFactory(IDictionary<string, string?> settings, IDataSourceRegistry? sources = null) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("datarights-host-").FullName;

    public FakeTimeProvider Clock { get; } = new(Requests.T0);

    public IReadOnlyList<OutboxMessage> Outbox => MailOutbox.Read(DataDirectory);

    public Task<int> DrainAsync() => Services.GetRequiredService<WorkItemProcessor>().DrainAsync(CancellationToken.None);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("DataRights:DevSignIn", "true");
        builder.UseSetting("DataRights:DataDirectory", DataDirectory);
        builder.UseSetting("DataRights:Workflow:Workers", "0");
        builder.UseSetting("DataRights:Durable:Enabled", "false");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            if (sources is not null)
            {
                services.AddSingleton(sources);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A pooled handle may linger a moment; the OS temp cleaner takes what is left.
            }
        }
    }
}
