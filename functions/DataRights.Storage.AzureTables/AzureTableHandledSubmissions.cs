using System.Globalization;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Records of requests set aside that staff handled by hand (<see cref="HandledSubmission"/>), one row each in the lookups
/// table's <c>handled-by-hand</c> partition, keyed by the submission's id; written once (a second removal keeps the first
/// record), never changed.
/// </summary>
public sealed class AzureTableHandledSubmissions(AzureTableStore store) : IHandledSubmissions
{
    private const string Partition = "handled-by-hand";
    private const string DayFormat = "yyyy-MM-dd";

    public async Task RecordAsync(HandledSubmission handled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handled);
        var row = new TableEntity(Partition, TableKeys.Escape(handled.SubmissionId)) { Description = "request handled by hand" }
            .Set("ReceivedAt", AuditChain.FormatInstant(handled.ReceivedAt))
            .SetText("Type", handled.Type)
            .SetText("Jurisdiction", handled.Jurisdiction)
            .SetText("DueOn", handled.DueOn?.ToString(DayFormat, CultureInfo.InvariantCulture))
            .Set("SetAsideAt", AuditChain.FormatInstant(handled.SetAside.At))
            .Set("Stops", handled.SetAside.Stops)
            .SetText("Failure", handled.SetAside.Failure)
            .Set("HandledAt", AuditChain.FormatInstant(handled.HandledAt))
            .SetText("HandledBy", handled.HandledBy)
            .SetText("Note", handled.Note)
            .Set("Outcome", Kebab.Of(handled.Outcome))
            .Set("AnsweredOn", handled.AnsweredOn.ToString(DayFormat, CultureInfo.InvariantCulture));
        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Insert(row), cancellationToken, 409);
    }

    public async Task<IReadOnlyList<HandledSubmission>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var rows = await store.Client.QueryAsync(store.LookupsTable, TableKeys.Partition(Partition), null, cancellationToken);
        return [.. rows.Select(Read).OrderByDescending(h => h.HandledAt).ThenBy(h => h.SubmissionId, StringComparer.Ordinal).Take(max)];
    }

    public async Task<IReadOnlyList<HandledSubmission>> ListReceivedAsync(DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken)
    {
        // Instants are written in one fixed-width UTC form, so they compare as text.
        var filter = $"{TableKeys.Partition(Partition)} and ReceivedAt ge {TableKeys.Literal(AuditChain.FormatInstant(from))} and ReceivedAt lt {TableKeys.Literal(AuditChain.FormatInstant(to))}";
        var rows = await store.Client.QueryAsync(store.LookupsTable, filter, max, cancellationToken);
        return [.. rows.Select(Read).OrderBy(h => h.ReceivedAt).ThenBy(h => h.SubmissionId, StringComparer.Ordinal)];
    }

    private static HandledSubmission Read(TableEntity row) => new(
        TableKeys.Unescape(row.RowKey),
        AuditChain.ParseInstant(row.GetString("ReceivedAt")),
        row.GetText("Type"),
        row.GetText("Jurisdiction"),
        row.GetText("DueOn") is { } due ? DateOnly.ParseExact(due, DayFormat, CultureInfo.InvariantCulture) : null,
        new SubmissionSetAside(AuditChain.ParseInstant(row.GetString("SetAsideAt")), row.GetInt32("Stops"), TryAgain: false, row.GetText("Failure")),
        AuditChain.ParseInstant(row.GetString("HandledAt")),
        row.GetText("HandledBy") ?? string.Empty,
        row.GetText("Note") ?? string.Empty,
        Kebab.TryParse<HandledOutcome>(row.GetString("Outcome"), out var outcome) ? outcome : throw new InvalidDataException($"Unknown outcome of a request handled by hand: {row.GetString("Outcome")}"),
        DateOnly.ParseExact(row.GetString("AnsweredOn"), DayFormat, CultureInfo.InvariantCulture));
}
