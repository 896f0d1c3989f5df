using Azure.Core;
using Azure.Core.Pipeline;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Durable;
using DataRights.Host.Storage;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// Where a request stands as its steps hand it back, on Azurite: <see cref="AwaitCommitActivity"/> (the work of a commit
/// announced to the orchestration before it was made, read once the commit has landed) and <see cref="RequestStanding"/>
/// after a step, with the calls each makes to the requests table.
/// </summary>
public sealed class StepStandingTests
{
    [Fact]
    public async Task AwaitCommit_ACommitThatLandedAlready_IsReadInOneCallToTheStore_WithTheWorkItWrote()
    {
        var calls = new StoreCalls();
        using var factory = Factory(calls);
        var (requestId, version, item) = await CommitWithItemAsync(factory);

        var before = calls.Count;
        var outcome = await Activity(factory).CarryOutAsync(new AnnouncedCommit(requestId, version), CancellationToken.None);

        Assert.Equal(1, calls.Count - before);
        Assert.Equal(WorkResult.Done, outcome.Result);
        Assert.Contains(outcome.Open!, w => w.Id == item);
        Assert.Equal(version, outcome.Stage!.Version);
    }

    [Fact]
    public async Task AwaitCommit_ACommitThatLandsWhileItWaits_IsWaitedFor_AndItsWorkHandedBack()
    {
        using var factory = Factory(new StoreCalls());
        var (requestId, version, _) = await CommitWithItemAsync(factory);

        // Announced at the next version, which lands a moment after the activity has begun to wait for it.
        var waiting = Activity(factory).CarryOutAsync(new AnnouncedCommit(requestId, version + 1), CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        Assert.False(waiting.IsCompleted);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var request = (await store.GetAsync(requestId, CancellationToken.None))!;
        var later = new OwedWork($"{requestId}:later:1", "test-later", "{}", factory.Clock.GetUtcNow());
        Assert.True(await store.CommitAsync(Owing(request, later), request.Version, [], CancellationToken.None));

        var outcome = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WorkResult.Done, outcome.Result);
        Assert.Contains(outcome.Open!, w => w.Id == later.Id);
        Assert.Equal(version + 1, outcome.Stage!.Version);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    public async Task AStepWhoseCommitClosedTheRequest_HandsBackWhatTheCommitWrote_AndOnlyARepeatedRunReadsWhereTheRequestStands(int attempt, int reads)
    {
        var calls = new StoreCalls();
        using var factory = Factory(calls);
        var (requestId, version, item) = await CommitWithItemAsync(factory);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(requestId, CancellationToken.None))!;
        var closed = request with { Status = Core.Requests.RequestStatus.Completed, Version = version + 1 };
        using var step = Host.Workflow.OrchestrationStep.For(requestId);
        step.Record(closed, [new WorkItem($"{requestId}:completion", requestId, "test-announced", "{}", factory.Clock.GetUtcNow())]);

        var before = calls.Count;
        var outcome = await factory.Services.GetRequiredService<RequestStanding>()
            .AfterStepAsync(step, new WorkAttempt(new WorkItem(item, requestId, "test-announced", "{}", factory.Clock.GetUtcNow()), attempt), CancellationToken.None);

        // A first run hands back the closed request's stage and the work its commit wrote: the run's end reads the
        // request (it is settled only once that read finds nothing left). A repeated run (its first may have died after
        // committing) reads the request as it stands, here the stored one the test's record never reached.
        Assert.Equal(reads, calls.Count - before);
        Assert.Equal(WorkResult.Done, outcome.Result);
        Assert.False(outcome.Settled);
        if (attempt == 1)
        {
            Assert.Equal("completed", outcome.RequestStatus);
            Assert.Equal(Core.Requests.RequestStatus.Completed, outcome.Stage!.Status);
            Assert.Equal([$"{requestId}:completion"], outcome.Open!.Select(w => w.Id));
        }
        else
        {
            Assert.Equal("awaiting-verification", outcome.RequestStatus);
            Assert.Contains(outcome.Open!, w => w.Id == item);
        }
    }

    // The tests run the activity themselves: the request's orchestration is not told of the commits they make.
    private static DataRightsFactory Factory(StoreCalls calls) => new()
    {
        AnnounceOnlyWhenDrained = true,
        ConfigureServices = services => services.Configure<StorageClientDefaults>(defaults => defaults.Configure.Add(options => options.AddPolicy(calls, HttpPipelinePosition.PerCall))),
    };

    /// <summary>A submitted request with one more work item committed at its next version.</summary>
    private static async Task<(string RequestId, long Version, string Item)> CommitWithItemAsync(DataRightsFactory factory)
    {
        using var client = factory.CreateClient();
        var requestId = await SubmitAsync(client, factory.Services);
        var store = factory.Services.GetRequiredService<IRequestStore>();
        var request = (await store.GetAsync(requestId, CancellationToken.None))!;
        var item = new OwedWork($"{requestId}:announced:1", "test-announced", "{}", factory.Clock.GetUtcNow().AddDays(1));
        Assert.True(await store.CommitAsync(Owing(request, item), request.Version, [], CancellationToken.None));
        return (requestId, request.Version + 1, item.Id);
    }

    /// <summary><paramref name="request"/> at its next version, owing <paramref name="work"/> besides what it owes.</summary>
    private static Core.Requests.DataSubjectRequest Owing(Core.Requests.DataSubjectRequest request, OwedWork work) =>
        request with { Version = request.Version + 1, Progress = request.Progress with { Owed = [.. request.Progress.Owed, work] } };

    private static AwaitCommitActivity Activity(DataRightsFactory factory) =>
        new(
            factory.Services.GetRequiredService<IRequestStore>(),
            factory.Services.GetRequiredService<RequestStanding>(),
            factory.Services.GetRequiredService<IOptions<DurableOptions>>(),
            factory.Services.GetRequiredService<ILogger<AwaitCommitActivity>>());

    /// <summary>Counts the calls the program's storage clients make to its requests table (the host's background loops read other things).</summary>
    private sealed class StoreCalls : HttpPipelineSynchronousPolicy
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message)
        {
            ArgumentNullException.ThrowIfNull(message);
            if (message.Request.Uri.Path.Contains("Requests", StringComparison.Ordinal) || message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
