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
/// request has hand-overs. What the task hub itself costs for the same number of activities and events. And its fan-out:
/// wait for an event, run a batch of activities that each take a set time side by side, then one more step (as a
/// discovery's answers are followed by their commit), which notes when it ran: the floor under a request's discovery.
/// </summary>
internal sealed class TrivialTaskHub : IAsyncDisposable
{
    public const string Orchestration = "Trivial";
    public const string FanOut = "TrivialFanOut";
    public const string Event = "go";
    private const string Activity = "Nothing";
    private const string Sleep = "Sleep";
    private const string Mark = "Mark";

    private readonly IHost _host;
    private readonly Marks _marks;

    private TrivialTaskHub(IHost host, Marks marks)
    {
        _host = host;
        _marks = marks;
    }

    /// <summary>When the step after a fan-out's batch ran (its <see cref="System.Diagnostics.Stopwatch"/> timestamp), by instance.</summary>
    public Task<long> MarkedAsync(string instanceId) => _marks.For(instanceId).Task;

    /// <summary>When each activity of a fan-out's batch began (<see cref="System.Diagnostics.Stopwatch"/> timestamps), by instance.</summary>
    public IReadOnlyList<long> SleepsBegan(string instanceId) => [.. _marks.Began(instanceId)];

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<TrivialTaskHub> StartAsync(string connectionString, string hubName, CancellationToken cancellationToken, TimeSpan? maxQueuePollingInterval = null)
    {
        var marks = new Marks();
        var address = LocalTaskHub.ChooseAddress();
        var channel = GrpcChannel.ForAddress(address);
        var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = connectionString,
                ["DataRights:Durable:HubName"] = hubName,
                ["DataRights:Durable:MaxQueuePollingInterval"] = maxQueuePollingInterval?.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            }.Where(p => p.Value is not null)))
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices((context, services) =>
            {
                services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.Section);
                services.AddSingleton(sp => ActivatorUtilities.CreateInstance<LocalTaskHub>(sp, address));
                services.AddHostedService(sp => sp.GetRequiredService<LocalTaskHub>());
                services.AddDurableTaskWorker(b => b.UseGrpc(channel).AddTasks(r => r
                    .AddOrchestratorFunc<Shape, int>(Orchestration, RunAsync)
                    .AddActivityFunc<int, int>(Activity, (_, n) => Task.FromResult(n))
                    .AddOrchestratorFunc<FanOutShape, int>(FanOut, RunFanOutAsync)
                    .AddActivityFunc<int, int>(Sleep, async (context, ms) =>
                    {
                        marks.Began(context.InstanceId).Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
                        await Task.Delay(ms);
                        return ms;
                    })
                    .AddActivityFunc<string, bool>(Mark, (_, id) => marks.For(id).TrySetResult(System.Diagnostics.Stopwatch.GetTimestamp()))));
                services.AddDurableTaskClient(b => b.UseGrpc(channel));
            })
            .Build();
        await host.StartAsync(cancellationToken);
        return new TrivialTaskHub(host, marks);
    }

    /// <summary>
    /// Rounds of activities run side by side, one round after another, after <paramref name="Events"/> events: the first
    /// before the first round (as a request's verification reaches its orchestration), each further one before the next
    /// round (the product's other decisions made outside its orchestration, if any in the window).
    /// </summary>
    public sealed record Shape(IReadOnlyList<int> ActivitiesPerRound, int Events);

    private static async Task<int> RunAsync(TaskOrchestrationContext context, Shape shape)
    {
        await context.WaitForExternalEvent<int>(Event);
        var done = 0;
        for (var round = 0; round < shape.ActivitiesPerRound.Count; round++)
        {
            if (round > 0 && round < shape.Events)
            {
                await context.WaitForExternalEvent<int>(Event);
            }

            var batch = await Task.WhenAll(Enumerable.Range(0, shape.ActivitiesPerRound[round]).Select(i => context.CallActivityAsync<int>(Activity, i)));
            done += batch.Length;
        }

        for (var left = Math.Max(0, shape.Events - Math.Max(1, shape.ActivitiesPerRound.Count)); left > 0; left--)
        {
            await context.WaitForExternalEvent<int>(Event);
        }

        return done;
    }

    /// <summary>A fan-out: after one event, this many activities of this many milliseconds side by side, then the marking step.</summary>
    public sealed record FanOutShape(int Activities, int Milliseconds);

    private static async Task<int> RunFanOutAsync(TaskOrchestrationContext context, FanOutShape shape)
    {
        await context.WaitForExternalEvent<int>(Event);
        var batch = await Task.WhenAll(Enumerable.Range(0, shape.Activities).Select(_ => context.CallActivityAsync<int>(Sleep, shape.Milliseconds)));
        await context.CallActivityAsync<bool>(Mark, context.InstanceId);
        return batch.Length;
    }

    private sealed class Marks
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<long>> _marks = new(StringComparer.Ordinal);

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<long>> _began = new(StringComparer.Ordinal);

        public TaskCompletionSource<long> For(string instanceId) =>
            _marks.GetOrAdd(instanceId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

        public System.Collections.Concurrent.ConcurrentQueue<long> Began(string instanceId) => _began.GetOrAdd(instanceId, _ => new());
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
