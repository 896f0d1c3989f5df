using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Durable;

/// <summary>
/// The stand-alone host's task hub, in-process: the Durable Task gRPC sidecar (<see cref="TaskHubGrpcServer"/>) on a
/// loopback port, over the Azure Storage backend Durable Functions uses on Azure (queues, tables and blobs named after
/// the hub), on Azurite locally. The host's Durable Task worker and client talk to it over gRPC, exactly as a Durable
/// Functions worker talks to its host. Orchestration state lives in storage, so a killed host resumes where it was:
/// messages a dead process held become visible again after <see cref="DurableOptions.VisibilityTimeout"/>. A host that is
/// stopped (not killed) drains first, before its worker stops: the sidecar takes no new work, and the steps in hand finish
/// and are recorded (up to <see cref="DurableOptions.DrainTimeout"/>), so a restart finds nothing held and runs nothing twice.
/// </summary>
public sealed class LocalTaskHub(
    Uri address,
    IOptions<DurableOptions> options,
    IOptions<Hosting.DataRightsOptions> dataRights,
    IConfiguration configuration,
    ILoggerFactory loggerFactory,
    TaskHubBackend? backend = null,
    StepNotes? stepNotes = null)
    : IHostedLifecycleService, IAsyncDisposable
{
    private IHost? _sidecar;
    private DrainSignalOrchestrationService? _dispatched;
    private StepNotes? _notes;
    private AzureStorageOrchestrationService? _service;

    public Uri Address => address;

    /// <summary>
    /// A free loopback address for the sidecar, chosen before the worker and client are registered, so seconds before the
    /// sidecar binds it. It is taken below the system's ephemeral range (the ports the system hands out for a port-0 bind
    /// and as the local end of every outgoing connection, 32768 to 60999 on Linux), where nothing else claims a port
    /// meanwhile: a port the system had handed out was once taken by another listener or connection in between, and the
    /// host failed to start. A system-chosen port is the fallback. A port is handed out once per process: two hosts in one
    /// process (the tests start hundreds) that drew the same free port before either bound it made the second fail to
    /// start (seen once in a CI run on 2026-12-05).
    /// </summary>
    public static Uri ChooseAddress()
    {
        var (ephemeralFrom, _) = EphemeralPorts();
        for (var attempt = 0; attempt < 50; attempt++)
        {
#pragma warning disable CA5394 // Spreads the ports tried; nothing secret depends on it.
            var port = Random.Shared.Next(20_000, Math.Max(20_001, ephemeralFrom));
#pragma warning restore CA5394
            if (HandedOut.TryAdd(port, 0) && IsFree(port))
            {
                return new Uri($"http://127.0.0.1:{port}");
            }
        }

        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var chosen = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{chosen}");
    }

    /// <summary>The ports this process has handed out for a sidecar, never handed out again.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>The system's ephemeral port range (Linux's setting when it can be read, the IANA range otherwise).</summary>
    private static (int From, int To) EphemeralPorts()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], out var from) && int.TryParse(parts[1], out var to) && from > 20_001)
            {
                return (from, to);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not readable: the IANA range below.
        }

        return (49152, 65535);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The task hub's storage connection string, from the setting <see cref="DurableOptions.Connection"/> names.</summary>
    public static string ConnectionString(IConfiguration configuration, DurableOptions options) =>
        configuration[options.Connection] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"The request orchestrations need a storage account for their task hub: set {options.Connection} to a connection string " +
                "(./run.sh starts Azurite and sets it).");

    /// <summary>Where the steps in progress are noted (<see cref="StepCrashGuardService"/>): the data folder, per task hub; made if missing.</summary>
    public static string StepNotesFolder(Hosting.DataRightsOptions dataRights, DurableOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataRights);
        ArgumentNullException.ThrowIfNull(options);
        // Owner-only, as everything the program writes, each level of it.
        var hub = Hosting.OwnerOnlyFiles.Folder(Path.Combine(Hosting.OwnerOnlyFiles.Folder(Path.Combine(Path.GetFullPath(dataRights.DataDirectory), "task-hub")), options.HubName));
        return Hosting.OwnerOnlyFiles.Folder(Path.Combine(hub, "steps-in-progress"));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (backendService, client, where) = backend is null ? await StartStorageAsync(o) : (backend.Service, backend.Client, backend.Service.GetType().Name);
        // Draining waits for the episodes that take in the last results: Azure Storage reads its control queue into memory
        // at least this often (a backend given in-process reads nothing ahead).
        var quiet = backend is null ? o.MaxQueuePollingInterval + TimeSpan.FromMilliseconds(250) : TimeSpan.Zero;
        // A step that keeps stopping the program is given up, its notes kept in the data folder, per task hub.
        var notes = _notes = stepNotes ?? new StepNotes(StepNotesFolder(dataRights.Value, o), o.StopsBeforeGivingUp, loggerFactory.CreateLogger<StepNotes>());
        var guarded = new StepCrashGuardService(backendService, notes, loggerFactory.CreateLogger<StepCrashGuardService>());
        var dispatched = _dispatched = new DrainSignalOrchestrationService(
            new RepeatedMessageFilterService(guarded, loggerFactory.CreateLogger<RepeatedMessageFilterService>()), quiet, TimeProvider.System, loggerFactory.CreateLogger<DrainSignalOrchestrationService>());

        _sidecar = new HostBuilder()
            .ConfigureWebHost(web => web
                .UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, address.Port, listen => listen.Protocols = HttpProtocols.Http2))
                .UseSetting(WebHostDefaults.ServerUrlsKey, string.Empty)
                .ConfigureServices(services =>
                {
                    // The sidecar logs through the host's logging, without a second set of start-up lines.
                    services.AddLogging(logging => logging
                        .ClearProviders()
                        .AddProvider(new ForwardingLoggerProvider(loggerFactory))
                        .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None)
                        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
                    services.AddSingleton<IHostLifetime, SidecarLifetime>();
                    services.AddGrpc();
                    services.AddRouting();
                    services.AddSingleton<IOrchestrationService>(dispatched);
                    services.AddSingleton(client);
                    services.AddSingleton<TaskHubGrpcServer>();
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>());
                }))
            .Build();
        await _sidecar.StartAsync(cancellationToken);
        loggerFactory.CreateLogger<LocalTaskHub>().LocalTaskHubReady(o.HubName, address.ToString(), where);
    }

    // The Azure Storage backend Durable Functions uses, on the configured account (Azurite locally).
    private async Task<(IOrchestrationService Dispatched, IOrchestrationServiceClient Client, string Where)> StartStorageAsync(DurableOptions o)
    {
        var connection = ConnectionString(configuration, o);
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connection),
            TaskHubName = o.HubName,
            PartitionCount = o.PartitionCount,
            WorkItemQueueVisibilityTimeout = o.VisibilityTimeout,
            ControlQueueVisibilityTimeout = o.VisibilityTimeout,
            LeaseInterval = o.VisibilityTimeout,
            LeaseRenewInterval = o.VisibilityTimeout / 3,
            LeaseAcquireInterval = o.VisibilityTimeout / 3,
            MaxQueuePollingInterval = o.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = o.MaxConcurrentActivities,

            // The app lease keeps a second app version off a shared hub during deployments; one local host needs none,
            // and without it a restarted host takes its partition as soon as the dead one's lease runs out.
            UseAppLease = false,

            // As Durable Functions sets it: a start refused for an instance that exists (its dedupe statuses) says so,
            // instead of answering as if it had started.
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggerFactory,
        });
        await service.CreateIfNotExistsAsync();
        _service = service;

        // The sidecar fetches activity messages one at a time; this fetches the ones a step schedules together side by
        // side. The real clock: lock expiry times are the storage's.
        var dispatched = new ParallelActivityFetchService(
            service, o.ActivityFetchConcurrency, o.VisibilityTimeout, TimeProvider.System, loggerFactory.CreateLogger<ParallelActivityFetchService>());
        // The sidecar hands a sub-orchestration's start over in shapes the Azure Storage backend cannot store as they are.
        return (new SubOrchestrationTagsService(dispatched), service, "Azure Storage at " + Endpoint(connection));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Before any service stops (the worker among them): the sidecar hands out no more work and waits for what it handed
    /// out, which the worker, still connected, finishes. Its gRPC server keeps serving meanwhile (the worker's completions,
    /// the host's client), until <see cref="StopAsync"/>.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_sidecar is null || _dispatched is null)
        {
            return;
        }

        var logger = loggerFactory.CreateLogger<LocalTaskHub>();
        var limit = options.Value.DrainTimeout;
        var draining = System.Diagnostics.Stopwatch.StartNew();
        var inHand = _dispatched.InHand;
        try
        {
            if (await _dispatched.DrainAsync(limit, cancellationToken))
            {
                logger.LocalTaskHubDrained((int)draining.ElapsedMilliseconds, inHand);
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // The host's own shutdown timeout ran out first.
        }

        logger.LocalTaskHubDrainTimedOut(_dispatched.InHand, (int)draining.Elapsed.TotalSeconds);

        // The steps cut off are cut off by this stop, which someone asked for: it is not counted against them.
        if (_notes?.LetGoOfThisRun() is > 0 and var let)
        {
            logger.StepsCutOffByTheStop(let);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_sidecar is not null)
        {
            await _sidecar.StopAsync(cancellationToken);
        }

        // The backend's own loops (partition leases, queue polling) must stop with the host: the sidecar's host stops
        // them too as it stops, so they are stopped through the same chain, which stops once (two stops side by side
        // raced inside DurableTask.AzureStorage). Its stop can wait on work a stopped worker will never finish, so it gets
        // a few seconds (what is unfinished stays in storage).
        if (_service is not null && _dispatched is not null)
        {
            try
            {
                await _dispatched.StopAsync(isForced: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // Given up on: the process is stopping anyway.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sidecar is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        _sidecar = null;
    }

    // For the log: where the task hub lives, never the key.
    private static string Endpoint(string connection) =>
        connection.Split(';').Select(part => part.Split('=', 2)).FirstOrDefault(kv => kv.Length == 2 && kv[0].Trim() == "QueueEndpoint")?[1]
        ?? (connection.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ? "development storage" : "the configured account");
}
