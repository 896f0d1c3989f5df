using DataRights.Core.Sources;
using DataRights.Host.Durable;
using DataRights.Testing;
using DataRights.Testing.Durable;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace DataRights.Storage.Tests.Infrastructure;

/// <summary>
/// The real program over in-memory HTTP with the given storage settings and a fake clock; its request orchestrations
/// run on an in-memory task hub whose timers follow that clock, and <see cref="DrainAsync"/> runs them until nothing is due.
/// </summary>
public sealed class HostFactory(IDictionary<string, string?> settings, IDataSourceRegistry? sources = null) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("datarights-host-").FullName;

    public FakeTimeProvider Clock { get; } = new(Requests.T0);

    public IReadOnlyList<OutboxMessage> Outbox => MailOutbox.Read(DataDirectory);

    public ProgramClockTaskHub TaskHub => _taskHub ??= new ProgramClockTaskHub(Clock);

    private ProgramClockTaskHub? _taskHub;

    /// <summary>Runs whatever is due at the fake clock's now until nothing is left (timers, the orchestrations' steps).</summary>
    public Task<int> DrainAsync()
    {
        _ = Services; // the host (and its task hub's worker) is started
        return TaskHub.DrainAsync(TimeSpan.FromSeconds(60));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("DataRights:DevSignIn", "true");
        builder.UseSetting("DataRights:DataDirectory", DataDirectory);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(new TaskHubBackend(TaskHub, TaskHub));

            // The worker splits a timer longer than this by the task hub's (real) clock: one timer on the fake clock instead.
            services.ConfigureAll<DurableTaskWorkerOptions>(o => o.MaximumTimerInterval = TimeSpan.FromDays(36500));
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
