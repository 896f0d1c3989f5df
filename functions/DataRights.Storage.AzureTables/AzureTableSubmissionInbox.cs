using System.Text.Json;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables;

/// <summary>
/// Submissions received and not yet taken in, one row each in the lookups table's <c>submission</c> partition, keyed by
/// the submission's id. The row holds what the person sent (their address and name among it) only until the submission is
/// taken in, which removes it.
/// </summary>
public sealed class AzureTableSubmissionInbox(AzureTableStore store) : ISubmissionInbox
{
    private const string Partition = "submission";

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
        var rows = await store.Client.QueryAsync(store.LookupsTable, filter, null, cancellationToken);
        return [.. rows.Select(Read).OrderBy(s => s.ReceivedAt).ThenBy(s => s.Id, StringComparer.Ordinal).Take(max)];
    }

    private static ReceivedSubmission Read(TableEntity row)
    {
        var points = row.GetText("DataPoints");
        return new ReceivedSubmission(
            TableKeys.Unescape(row.RowKey),
            WireNames.ParseChannel(row.GetString("Channel")),
            AuditChain.ParseInstant(row.GetString("ReceivedAt")),
            new IntakeSubmission(row.GetText("Type"), row.GetText("Email"), row.GetText("FullName"), row.GetText("Jurisdiction"), row.GetText("AccountReference"), row.GetText("Details"))
            {
                DataPoints = points is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(points),
            });
    }
}
