using DataRights.Core.Requests;
using DataRights.Core.Sources;

namespace DataRights.Integration.Tests.Connectors;

/// <summary>
/// What every connector must do, run against the in-memory fake and each real connector type:
/// answer a test, find a known person and no one else, erase what may be erased so a second search
/// finds only what is retained, and erase again without error or effect.
/// </summary>
public abstract class ConnectorContract
{
    /// <summary>A connector holding <see cref="Known"/> (and others), and the categories it must keep on erasure.</summary>
    protected abstract Task<(IDataSourceConnector Connector, IReadOnlyList<string> Retained)> CreateAsync();

    protected abstract SubjectIdentity Known { get; }

    [Fact]
    public async Task Test_OnAHealthySource_IsReachable()
    {
        var (connector, _) = await CreateAsync();

        Assert.True((await connector.TestAsync(CancellationToken.None)).Reachable);
    }

    [Fact]
    public async Task Discover_KnownPerson_FindsRecordsAndUnknownPersonNone()
    {
        var (connector, _) = await CreateAsync();

        var known = await connector.DiscoverAsync(SourceCall.For(Known), CancellationToken.None);
        var stranger = await connector.DiscoverAsync(SourceCall.For(new SubjectIdentity("nobody.at.all@example.org", "No Body", null)), CancellationToken.None);

        Assert.True(known.RecordCount > 0);
        Assert.NotEmpty(known.Categories);
        Assert.Equal(0, stranger.RecordCount);
        Assert.Empty(stranger.Categories);
    }

    [Fact]
    public async Task Erase_ThenDiscover_FindsOnlyWhatIsRetained()
    {
        var (connector, retained) = await CreateAsync();

        var outcome = await connector.ExecuteAsync(SourceCall.For(Known), RequestType.Erasure, null, CancellationToken.None);
        var after = await connector.DiscoverAsync(SourceCall.For(Known), CancellationToken.None);

        Assert.True(outcome.Erased + outcome.Masked > 0);
        Assert.Equal(retained.Order(StringComparer.Ordinal), outcome.Retained.Select(r => r.Category).Order(StringComparer.Ordinal));
        Assert.All(outcome.Retained, r => Assert.False(string.IsNullOrWhiteSpace(r.LegalBasis)));
        Assert.Equal(retained.Order(StringComparer.Ordinal), after.Categories.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Erase_Twice_SecondTimeChangesNothingAndSucceeds()
    {
        var (connector, _) = await CreateAsync();
        await connector.ExecuteAsync(SourceCall.For(Known), RequestType.Erasure, null, CancellationToken.None);

        var second = await connector.ExecuteAsync(SourceCall.For(Known), RequestType.Erasure, null, CancellationToken.None);

        Assert.Equal(0, second.Erased + second.Masked);
    }

    /// <summary>A category the connector can purge by age and a cutoff before which it holds records of it; null when it cannot purge.</summary>
    protected virtual (string Category, DateOnly Cutoff)? Purgeable => null;

    [Fact]
    public async Task Purge_DryRunCountsExactlyWhatBatchesRemove_AndAgainRemovesNothing()
    {
        var (connector, _) = await CreateAsync();
        var nobodyHeld = new HashSet<string>();
        if (Purgeable is not { } purgeable)
        {
            var refused = await connector.PurgeAsync(new PurgeCommand("telephony.cdr", new DateOnly(2100, 1, 1), 50, DryRun: false, nobodyHeld), CancellationToken.None);
            Assert.True(!refused.Applies || !refused.Supported);
            return;
        }

        var dry = await connector.PurgeAsync(new PurgeCommand(purgeable.Category, purgeable.Cutoff, 50, DryRun: true, nobodyHeld), CancellationToken.None);
        var dryAgain = await connector.PurgeAsync(new PurgeCommand(purgeable.Category, purgeable.Cutoff, 50, DryRun: true, nobodyHeld), CancellationToken.None);
        long purged = 0;
        var steps = 0;
        PurgeOutcome step;
        do
        {
            step = await connector.PurgeAsync(new PurgeCommand(purgeable.Category, purgeable.Cutoff, 50, DryRun: false, nobodyHeld), CancellationToken.None);
            Assert.InRange(step.Purged, 0, 50);
            purged += step.Purged;
            steps++;
        }
        while (!step.Complete && steps < 1000);
        var after = await connector.PurgeAsync(new PurgeCommand(purgeable.Category, purgeable.Cutoff, 50, DryRun: false, nobodyHeld), CancellationToken.None);

        Assert.True(dry.Purged > 50, "the contract needs more than one batch of records past the cutoff");
        Assert.Equal(dry.Purged, dryAgain.Purged);
        Assert.Equal(dry.Purged, purged);
        Assert.True(steps > 1);
        Assert.Equal(0, after.Purged);
        Assert.True(after.Complete);
    }
}
