using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;
using DataRights.Host.Sources;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention;

/// <summary>
/// Seeds the retention policy at start, after the store and the sources: configured regions replace what
/// is stored (audited only when they differ); with nothing configured or stored, the sample policy, but
/// only while the demo sources are the ones in use. Warns about sources in regions no timer purges.
/// </summary>
internal sealed class RetentionPolicyInitializer(
    IRetentionPolicyStore store,
    IDataSourceRegistry sources,
    IOptions<RetentionOptions> options,
    IOptions<SourcesOptions> sourcesOptions,
    TimeProvider time,
    ILogger<RetentionPolicyInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var stored = await store.ListAsync(cancellationToken);
        var configured = options.Value.Policy.Select(p => new RetentionPolicy(p.Key, p.Value)).ToList();
        var seeds = configured.Count > 0 ? configured
            : stored.Count == 0 && sourcesOptions.Value.Registered.Count == 0 ? SampleRetentionPolicy.Policies
            : [];
        var actor = configured.Count > 0 ? "configuration" : "demo";
        foreach (var policy in seeds)
        {
            var current = stored.FirstOrDefault(s => s.Policy.Region == policy.Region);
            if (current is null || WorkflowJson.Serialize(current.Policy) != WorkflowJson.Serialize(policy))
            {
                await store.SaveAsync(policy, actor, time.GetUtcNow(), cancellationToken);
                logger.RetentionPolicySaved(policy.Region, policy.Rules.Count);
            }
        }

        foreach (var region in sources.ActiveSources().Select(s => s.Region).Distinct(StringComparer.Ordinal).Where(r => PurgeRegions.Find(r) is null))
        {
            logger.RegionWithoutPurgeTimer(region);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
