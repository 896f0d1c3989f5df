using DataRights.Host.Durable;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataRights.Bench.Orchestrations;

/// <summary>
/// The same local task hub as the product's (the gRPC sidecar over Azure Storage on the same Azurite), running a
/// trivial orchestration: wait for an event, then run a batch of no-op activities side by side, as many rounds as a
/// request has hand-overs. What the task hub itself costs for the same number of activities and events.
/// </summary>
internal sealed class TrivialTaskHub : IAsyncDisposable
{
    public const string Orchestration = "Trivial";
    public const string Event = "go";
    private const string Activity = "Nothing";

    private readonly IHost _host;

    private TrivialTaskHub(IHost host) => _host = host;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<TrivialTaskHub> StartAsync(string connectionString, string hubName, CancellationToken cancellationToken)
    {
        var address = LocalTaskHub.ChooseAddress();
        var channel = GrpcChannel.ForAddress(address);
        var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = connectionString,
                ["DataRights:Durable:HubName"] = hubName,
            }))
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices((context, services) =>
            {
                services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.Section);
                services.AddSingleton(sp => ActivatorUtilities.CreateInstance<LocalTaskHub>(sp, address));
                services.AddHostedService(sp => sp.GetRequiredService<LocalTaskHub>());
                services.AddDurableTaskWorker(b => b.UseGrpc(channel).AddTasks(r => r
                    .AddOrchestratorFunc<Shape, int>(Orchestration, RunAsync)
                    .AddActivityFunc<int, int>(Activity, (_, n) => Task.FromResult(n))));
                services.AddDurableTaskClient(b => b.UseGrpc(channel));
            })
            .Build();
        await host.StartAsync(cancellationToken);
        return new TrivialTaskHub(host);
    }

    /// <summary>Rounds of activities run side by side; every round after the first waits first for one event (as the relay raises one per batch of work).</summary>
    public sealed record Shape(IReadOnlyList<int> ActivitiesPerRound);

    private static async Task<int> RunAsync(TaskOrchestrationContext context, Shape shape)
    {
        var done = 0;
        for (var round = 0; round < shape.ActivitiesPerRound.Count; round++)
        {
            if (round > 0)
            {
                await context.WaitForExternalEvent<int>(Event);
            }

            var batch = await Task.WhenAll(Enumerable.Range(0, shape.ActivitiesPerRound[round]).Select(i => context.CallActivityAsync<int>(Activity, i)));
            done += batch.Length;
        }

        return done;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _host.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // A slow shutdown of the sidecar does not change the figures.
        }

        _host.Dispose();
    }
}
