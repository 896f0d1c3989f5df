using DataRights.Core.Sources;
using DataRights.Host.Durable;
using DataRights.Host.Scheduling;
using DataRights.Host.Workflow;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using DataRights.Testing.Durable;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>
/// The real program over in-memory HTTP, on a real SQLite file in its own temp folder, with a fake
/// clock. Pass the folder of a disposed factory to a new one to test a restart. In Development the development
/// sign-in is opted in (tests sign staff in with its header); in any other environment the settings a deployment
/// must give (<see cref="DeploymentTestSettings"/>) are set. A test's own settings win over both.
/// </summary>
public sealed class DataRightsFactory : WebApplicationFactory<Program>
{
    private readonly bool _ownsDirectory;

    public DataRightsFactory(
        string environment = "Development",
        IDictionary<string, string?>? settings = null,
        string? dataDirectory = null,
        FakeTimeProvider? clock = null)
    {
        Environment = environment;
        Settings = settings ?? new Dictionary<string, string?>();
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("datarights-test-").FullName;
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero));
    }

    public string Environment { get; }

    public IDictionary<string, string?> Settings { get; }

    public string DataDirectory { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>What the program keeps in Table storage (requests, audit trails, registrations, ...), read through the SDK.</summary>
    public StoredRecords Stored => new(this);

    /// <summary>Data sources replacing the configured ones, usually in-memory (set before the first client).</summary>
    public IDataSourceRegistry? Sources { get; set; }

    /// <summary>More test services, registered after the program's own (e.g. a static Entra ID signing key).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>
    /// The request orchestrations run on the stand-alone host's own task hub over Azure Storage (the Azurite the test's
    /// settings name, <c>AzureWebJobsStorage</c>), on the real clock, as <c>./run.sh</c> runs them. Otherwise (the default)
    /// they run on an in-memory task hub whose timers follow the fake clock (<see cref="TaskHub"/>), driven by
    /// <see cref="DrainAsync"/>. Set before the first client.
    /// </summary>
    public bool AzureStorageTaskHub { get; set; }

    /// <summary>
    /// Decisions' announcements to the orchestrations are held back (<see cref="DeferredAnnouncer"/>) and made only in
    /// <see cref="DrainAsync"/>: for tests that apply a request's events themselves and must not have its orchestration
    /// run beside them. Set before the first client.
    /// </summary>
    public bool AnnounceOnlyWhenDrained { get; set; }

    /// <summary>The task hub the orchestrations run on (unless <see cref="AzureStorageTaskHub"/>).</summary>
    public ProgramClockTaskHub TaskHub => _taskHub ??= new ProgramClockTaskHub(Clock);

    private ProgramClockTaskHub? _taskHub;

    /// <summary>
    /// Runs whatever is due at the fake clock's now until nothing is left; returns how many steps ran: fires the timers
    /// the clock has reached, hands committed work to the orchestrations (the relay), and waits until the task hub is
    /// idle, again until a round changes nothing.
    /// </summary>
    public async Task<int> DrainAsync()
    {
        if (AzureStorageTaskHub)
        {
            throw new InvalidOperationException("The task hub on Azure Storage runs on the real clock: wait for the outcome instead.");
        }

        // Submissions sent are first kept and handed to their taking in by the host's queue reader (on the real clock).
        await SubmissionInboxWaits.QueueReadAsync(Services.GetRequiredService<DataRights.Host.Requests.SubmissionQueue>().CountAsync);
        var announcer = Services.GetRequiredService<ICommitAnnouncer>() as DeferredAnnouncer;
        return await TaskHub.DrainAsync(
            () => announcer?.MakeAsync(CancellationToken.None) ?? Task.FromResult(false),
            TimeSpan.FromSeconds(60));
    }

    /// <summary>Moves the fake clock on, then runs whatever became due.</summary>
    public Task<int> AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        return DrainAsync();
    }

    /// <summary>Everything the host logged, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    public IReadOnlyList<OutboxMessage> Outbox => MailOutbox.Read(DataDirectory);

    /// <summary>Keeps the folder after disposal, for a restart test.</summary>
    public bool KeepData { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseSetting("DataRights:DataDirectory", DataDirectory);
        var defaults = Environment == "Development"
            ? new Dictionary<string, string?> { ["DataRights:DevSignIn"] = "true" }
            : DeploymentTestSettings.Settings();
        // The pipeline's records on the shared Azurite, in tables and a container named after the data folder.
        if (!Settings.ContainsKey("AzureWebJobsStorage") && !Settings.ContainsKey("DataRights:Storage:TableEndpoint"))
        {
            foreach (var (key, value) in SharedAzurite.StorageSettings(SharedAzurite.GetAsync().GetAwaiter().GetResult(), DataDirectory))
            {
                defaults[key] = value;
            }
        }

        foreach (var (key, value) in defaults.Where(d => !Settings.ContainsKey(d.Key)))
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddTransient<IStartupFilter, SubmissionsHandedOver>();

            // Tests run the scheduled jobs themselves (JobScheduler.RunDueAsync, the timer functions): the host's own
            // 30-second loop would run the same jobs beside them, on the same fake clock, at moments no test chooses.
            foreach (var loop in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(JobSchedulerLoop)).ToList())
            {
                services.Remove(loop);
            }
            if (!AzureStorageTaskHub)
            {
                services.AddSingleton(new TaskHubBackend(TaskHub, TaskHub));

                // The worker splits a timer longer than this into several, measuring from the task hub's (real) clock:
                // a timer on the fake clock is one timer, released when the fake clock reaches it.
                services.ConfigureAll<DurableTaskWorkerOptions>(o => o.MaximumTimerInterval = TimeSpan.FromDays(36500));
            }

            if (AnnounceOnlyWhenDrained)
            {
                services.AddSingleton<DeferredAnnouncer>();
                services.AddSingleton<ICommitAnnouncer>(sp => sp.GetRequiredService<DeferredAnnouncer>());
            }

            if (Sources is not null)
            {
                services.AddSingleton<IDataSourceRegistry>(Sources);
            }

            ConfigureServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDirectory && !KeepData)
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
