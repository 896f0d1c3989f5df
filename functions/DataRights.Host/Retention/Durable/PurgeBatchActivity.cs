using DataRights.Core.Retention;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention.Durable;

/// <summary>
/// One batch of a category's purge: up to <see cref="RetentionOptions.BatchesPerActivity"/> steps of
/// <see cref="RetentionOptions.BatchSize"/> records, then the line is saved with the batch's number (final, with its
/// audit entry, once the category is done). The first batch opens the line (a hold on the whole source, what a retained
/// category keeps, a dry run); a batch whose number the line already has is not applied again.
/// </summary>
[DurableTask(Name)]
public sealed class PurgeBatchActivity(PurgeSteps steps, IOptions<RetentionOptions> options) : TaskActivity<PurgeBatch, PurgeBatchResult>
{
    public const string Name = "PurgeBatch";

    public override Task<PurgeBatchResult> RunAsync(TaskActivityContext context, PurgeBatch input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<PurgeBatchResult> CarryOutAsync(PurgeBatch input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await steps.OpenSourceAsync(input.RunId, input.SourceKey, cancellationToken) is not { } scope)
        {
            return new PurgeBatchResult(Complete: true, 0);
        }

        var (context, source, rows) = scope;
        var existing = rows.GetValueOrDefault((source.Key, input.Category));
        if (existing is { IsFinal: true })
        {
            return new PurgeBatchResult(Complete: true, 0);
        }

        if (existing is not null && existing.Batches >= input.Number)
        {
            return new PurgeBatchResult(Complete: false, 0);
        }

        var rule = context.Policy.Rules.FirstOrDefault(r => r.Category == input.Category);
        if (rule is null || steps.Connector(source.Key) is not { } connector)
        {
            // The rule or the source went away since the plan: nothing of this line to report.
            return new PurgeBatchResult(Complete: true, 0);
        }

        if (existing is not null && context.SourceHolds.TryGetValue(source.Key, out var hold))
        {
            // A hold on the whole source placed while this category was being purged (the line is opened already, and only
            // its opening looked for one): nothing more goes, and the line says so.
            await steps.FinishAsync(context, existing with
            {
                State = PurgeRow.OnHold,
                Batches = input.Number,
                Note = $"A legal hold on the whole source ({hold.Id}) was placed during the run: purging stopped; {existing.Purged} record(s) had gone before it.",
            }, cancellationToken);
            return new PurgeBatchResult(Complete: true, 0);
        }

        var row = existing ?? await steps.OpenCategoryAsync(context, source, connector, context.Registrations.GetValueOrDefault(source.Key), rule, PurgeSteps.NewRow(context, source, rule, rows), cancellationToken);
        if (row is null || row.IsFinal)
        {
            if (row is not null)
            {
                await steps.FinishAsync(context, row with { Batches = input.Number }, cancellationToken);
            }

            return new PurgeBatchResult(Complete: true, 0);
        }

        var (next, _) = await steps.DeleteBatchesAsync(context, source, connector, row, options.Value.BatchesPerActivity, cancellationToken);
        next = (next ?? row with { State = PurgeRow.Done, Scanned = row.Purged + row.Held + row.Retained }) with { Batches = input.Number };

        // The batch's counts are in hand only here: what it deleted is gone, so a batch run again could not count it.
        await steps.SaveInHandAsync(context, next, cancellationToken);
        return new PurgeBatchResult(next.IsFinal, next.Purged - row.Purged);
    }
}
