using System.Text.Json;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Submissions received and not yet taken in, one row each in the lookups table's <c>submission</c> partition, keyed by
/// the submission's id. The row holds what the person sent (their address and name among it) only until the submission is
/// taken in, which removes it. A submission set aside carries its mark in the same row (<c>SetAside</c>: <c>set-aside</c>
/// or <c>try-again</c>, empty when taken off; <c>SetAsideAt</c>, <c>Stops</c>, <c>Failure</c>).
/// </summary>
public sealed class AzureTableSubmissionInbox(AzureTableStore store) : ISubmissionInbox
{
    private const string Partition = "submission";
    private const string Mark = "SetAside";
    private const string SetAsideMark = "set-aside";
    private const string TryAgainMark = "try-again";

    public async Task AddAsync(ReceivedSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var s = submission.Submission;
        var row = new TableEntity(Partition, TableKeys.Escape(submission.Id)) { Description = "submission received" }
            .Set("Channel", submission.Channel.Name())
            .Set("ReceivedAt", AuditChain.FormatInstant(submission.ReceivedAt))
            .SetText("Type", s.Type)
            .SetText("Email", s.Email)
            .SetText("FullName", s.FullName)
            .SetText("Jurisdiction", s.Jurisdiction)
            .SetText("AccountReference", s.AccountReference)
            .SetText("Details", s.Details)
            .SetText("DataPoints", s.DataPoints is null ? null : JsonSerializer.Serialize(s.DataPoints));
        // One kept already (its queue message read twice) stays as it was.
        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Insert(row), cancellationToken, 409);
    }

    public async Task<ReceivedSubmission?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return await store.Client.GetAsync(store.LookupsTable, Partition, TableKeys.Escape(id), cancellationToken) is { } row ? Read(row) : null;
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Delete(Partition, TableKeys.Escape(id), "*"), cancellationToken, 404);
    }

    public async Task<IReadOnlyList<ReceivedSubmission>> ListAsync(DateTimeOffset receivedBefore, int max, CancellationToken cancellationToken)
    {
        var filter = $"{TableKeys.Partition(Partition)} and ReceivedAt lt {TableKeys.Literal(AuditChain.FormatInstant(receivedBefore))}";
        return await ListAsync(filter, max, cancellationToken);
    }

    public async Task<bool> MarkAsync(string id, SubmissionSetAside? setAside, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        // Only the mark's columns change (a merge, on the row as it is): a submission no longer kept is not made again.
        var row = new TableEntity(Partition, TableKeys.Escape(id))
            .Set(Mark, setAside is null ? string.Empty : setAside.TryAgain ? TryAgainMark : SetAsideMark)
            .Set("SetAsideAt", setAside is null ? string.Empty : AuditChain.FormatInstant(setAside.At))
            .Set("Stops", setAside?.Stops ?? 0)
            .Set("Failure", setAside?.Failure ?? string.Empty);
        var written = await store.Client.ExecuteAsync(store.LookupsTable, TableOperation.Merge(row, "*"), cancellationToken, 404);
        return written.Succeeded;
    }

    public async Task<IReadOnlyList<ReceivedSubmission>> ListSetAsideAsync(int max, CancellationToken cancellationToken)
    {
        var filter = $"{TableKeys.Partition(Partition)} and ({Mark} eq {TableKeys.Literal(SetAsideMark)} or {Mark} eq {TableKeys.Literal(TryAgainMark)})";
        return await ListAsync(filter, max, cancellationToken);
    }

    private async Task<IReadOnlyList<ReceivedSubmission>> ListAsync(string filter, int max, CancellationToken cancellationToken)
    {
        var rows = await store.Client.QueryAsync(store.LookupsTable, filter, null, cancellationToken);
        return [.. rows.Select(Read).OrderBy(s => s.ReceivedAt).ThenBy(s => s.Id, StringComparer.Ordinal).Take(max)];
    }

    private static ReceivedSubmission Read(TableEntity row)
    {
        var points = row.GetText("DataPoints");
        var mark = row.GetStringOrNull(Mark);
        return new ReceivedSubmission(
            TableKeys.Unescape(row.RowKey),
            WireNames.ParseChannel(row.GetString("Channel")),
            AuditChain.ParseInstant(row.GetString("ReceivedAt")),
            new IntakeSubmission(row.GetText("Type"), row.GetText("Email"), row.GetText("FullName"), row.GetText("Jurisdiction"), row.GetText("AccountReference"), row.GetText("Details"))
            {
                DataPoints = points is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(points),
            })
        {
            SetAside = mark is SetAsideMark or TryAgainMark
                ? new SubmissionSetAside(AuditChain.ParseInstant(row.GetString("SetAsideAt")), row.GetInt32("Stops"), mark == TryAgainMark, row.GetStringOrNull("Failure") is { Length: > 0 } failure ? failure : null)
                : null,
        };
    }
}
