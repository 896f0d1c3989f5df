using DataRights.Core.Email;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Email;
using DataRights.Host.Links;
using DataRights.Host.Pages;
using DataRights.Host.Sources;

namespace DataRights.Host.Retention;

/// <summary>What one purge task asks of a manual source's owner: which records to delete, and why they were kept until now.</summary>
public sealed record ManualPurgeTask(
    string RunId, string Region, string SourceKey, string SourceName, string Owner, string Category, DateOnly Cutoff, string Rule, string Basis, int PeopleOnHold);

/// <summary>
/// Retention purges of manual sources (no API: an accounting package, a supplier's portal). When a rule
/// says records have run out, the source's owner is emailed a task: which category, dated before which
/// day, why they were kept until then, and a word on legal holds. They confirm from a signed link how
/// many they deleted (<c>/purge-task/{token}</c>), which completes the report line and is audited in the
/// retention chain. While a task is open (its link not expired) later runs send no new one, so an owner
/// gets one task per category at a time, not one a night. Reports name the source, never the owner.
/// </summary>
public sealed class ManualPurgeTasks(IPurgeStore store, LinkTokens links, MessageComposer composer, IEmailSender sender, TimeProvider time)
{
    /// <summary>How long a task's link works; an unanswered task is sent again by the first run after it expires.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(14);

    /// <summary>Recent runs searched for an open task (a region runs once a day, so two weeks are well inside).</summary>
    private const int RunsSearched = 200;

    /// <summary>The step a task link names: source key and category (neither can hold '|').</summary>
    public static string Step(string sourceKey, string category) => sourceKey + "|" + category;

    /// <summary>The report line for one category of a manual source: a task sent, one still open, or (dry run) what would be sent.</summary>
    internal async Task<PurgeRow> AskAsync(
        PurgeContext context, DataSourceDescriptor source, ManualSourceConnector manual, RetentionRule rule, PurgeRow row, CancellationToken cancellationToken)
    {
        var cutoff = PurgeCutoff.For(rule, context.Today);
        var when = RequestTexts.LongDate(cutoff);
        row = row with { Cutoff = cutoff };
        if (context.SourceHolds.TryGetValue(source.Key, out var hold))
        {
            return row with { State = PurgeRow.OnHold, Note = $"A legal hold on the whole source ({hold.Id}) stands: no task was sent to its owner." };
        }

        if (context.Run.DryRun)
        {
            return row with { State = PurgeRow.Done, Note = $"Dry run: nothing was sent. The owner named in its registration would be emailed a task to delete these records by hand (dated before {when})." };
        }

        if (await OpenTaskAsync(context.Run, source.Key, rule.Category, cancellationToken) is { } open)
        {
            return row with
            {
                State = PurgeRow.TaskOpen,
                Note = $"The task emailed to its owner on {RequestTexts.LongDate(DateOnly.FromDateTime(open.StartedAt.UtcDateTime))} (run {open.Id}) is still open: no new one was sent.",
            };
        }

        var task = new ManualPurgeTask(
            context.Run.Id,
            context.Region.Key,
            source.Key,
            source.DisplayName,
            manual.Owner,
            rule.Category,
            cutoff,
            $"for {(RetentionPeriod.TryParse(rule.MaxAge, out var period) ? period.Describe() : rule.MaxAge)} counted from {rule.CountsFrom.Replace('_', ' ')}",
            rule.Basis,
            context.HeldSubjects.Count);
        var token = links.Create(LinkPurposes.PurgeTask, context.Run.Id, Step(source.Key, rule.Category), manual.Owner, time.GetUtcNow() + LinkLifetime);
        // A plan delivered again while its first run still sends this task waits for that run, rather than failing the source.
        await sender.SendWaitingForAnyHoldAsync(composer.ComposePurgeTask($"{context.Run.Id}:purge-task:{source.Key}:{rule.Category}", task, token), time, cancellationToken);
        return row with
        {
            State = PurgeRow.TaskSent,
            Note = $"Emailed the owner named in its registration a task to delete these records by hand (dated before {when}); waiting for their confirmation.",
        };
    }

    /// <summary>An earlier real run of the region whose task for this source and category is unanswered and whose link still works.</summary>
    private async Task<PurgeRun?> OpenTaskAsync(PurgeRun current, string sourceKey, string category, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - LinkLifetime;
        foreach (var run in await store.ListAsync(RunsSearched, cancellationToken))
        {
            if (run.Id == current.Id || run.Region != current.Region || run.DryRun || run.StartedAt <= since)
            {
                continue;
            }

            if ((await store.RowsAsync(run.Id, cancellationToken)).Any(r => r.SourceKey == sourceKey && r.Item == category && r.State == PurgeRow.TaskSent))
            {
                return run;
            }
        }

        return null;
    }
}
