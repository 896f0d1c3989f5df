using System.Globalization;
using System.Text.RegularExpressions;
using Azure;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Core.Verification;
using DataRights.Storage.AzureTables;
using DataRights.Storage.AzureTables.Sources;

namespace DataRights.Host.Sources;

/// <summary>
/// A firm's own personal data in Azure Table storage (connector type <c>azure-table</c>), driven by its
/// registration as the SQL connector is: per category, <c>queries.table</c> is the table and
/// <c>queries.match</c> the property holding the person's (normalised) email. Erasure deletes the rows, or
/// masks the properties <c>queries.mask</c> names (Merge with the fixed text or keyed hash; <c>null</c> removes
/// them), or keeps a retained category's rows within their retention (dated by <c>queries.date</c>) and deletes
/// those past it. Settings are property names, never filters: <see cref="AzureTableSourceClient"/> builds every filter.
/// </summary>
public sealed partial class AzureTableSourceConnector(AzureTableSourceClient client, SourceRegistration registration, byte[] maskKey, TimeProvider time)
    : IDataSourceConnector, IActionTarget
{
    private readonly IReadOnlyList<Category> _categories = [.. registration.Categories.Select(c => new Category(c))];

    /// <summary>Reads one row of every registered table, so a wrong address, key, identity or table name shows now, changing nothing.</summary>
    public async Task<ConnectionTest> TestAsync(CancellationToken cancellationToken)
    {
        var tables = _categories.Select(c => c.Table).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            foreach (var table in tables)
            {
                await client.ProbeAsync(table, cancellationToken);
            }

            return new ConnectionTest(true, $"Reached Table storage and read {Plural.Count(tables.Count, "table")}.");
        }
        catch (TableStorageException ex) when (ex.Status is 401 or 403)
        {
            return new ConnectionTest(false, $"Table storage refused the credentials (HTTP {ex.Status} {ex.ErrorCode}): check the account key (connection.accountKey), or the managed identity and its role (Storage Table Data Contributor).");
        }
        catch (TableStorageException ex) when (ex.Status == 404)
        {
            return new ConnectionTest(false, $"A registered table does not exist (HTTP 404 {ex.ErrorCode}); check queries.table of each category ({string.Join(", ", tables)}).");
        }
        catch (TableStorageException ex)
        {
            // Fixed words and the status only: a message from the far end is not shown to staff.
            return new ConnectionTest(false, $"Table storage refused the probe (HTTP {ex.Status} {ex.ErrorCode}); check the connection settings and the tables named.");
        }
        catch (RequestFailedException ex)
        {
            return new ConnectionTest(false, $"Table storage did not answer at connection.tableEndpoint (HTTP {ex.Status}); check the address and that this app may reach it.");
        }
    }

    public async Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        var total = 0;
        var found = new List<string>();
        var accountMatched = false;
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in _categories)
        {
            var rows = await FindAsync(category, subject, cancellationToken);
            if (rows.Count > 0)
            {
                total += rows.Count;
                found.Add(category.Policy.Key);
                accountMatched |= subject.AccountReference is { } account && category.Account is { } property
                    && rows.Any(r => string.Equals(r.GetText(property), account, StringComparison.Ordinal));

                // A requester's detail matches a property named after its identity field (account_id: AccountId or account_id), compared as letters and digits.
                matched.UnionWith(subject.DataPoints
                    .Where(d => rows.Any(r => r.PropertyNames.Any(p => SameField(p, d.Field) && r.GetText(p) is { } held && GivenDataPoint.Comparable(d.Field, held) == d.Value)))
                    .Select(d => d.Name));
            }
        }

        return new DiscoveryFindings(total, found, accountMatched) { MatchedDataPoints = subject.DataPoints.Count == 0 ? null : [.. matched] };
    }

    private static bool SameField(string property, string field) =>
        string.Equals(property.Replace("_", string.Empty, StringComparison.Ordinal), field.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        if (SourceActions.Route(this, subject, action, instructions, cancellationToken) is { } other)
        {
            return await other;
        }

        // Category by category, each write idempotent: a step retried after a failure half-way finds only what is left.
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        int erased = 0, masked = 0;
        var retained = new List<RetainedRecords>();
        foreach (var category in _categories)
        {
            var rows = await FindAsync(category, subject, cancellationToken);
            if (rows.Count == 0)
            {
                continue;
            }

            switch (category.Policy.Strategy)
            {
                case "delete":
                    erased += await client.DeleteAsync(category.Table, rows, onlyIfUnchanged: false, cancellationToken);
                    break;
                case "mask":
                    masked += await MaskAsync(category, rows, subject, cancellationToken);
                    break;
                case "retain":
                    // Each row is kept through its own retention; those past it go, and the rest are told with the date the last one ends.
                    RetentionPeriod.TryParse(category.Policy.RetentionPeriod, out var period);
                    var ended = rows.Where(r => category.DateOf(r) is { } date && period.From(date) < today).ToList();
                    var kept = rows.Except(ended).ToList();
                    erased += await client.DeleteAsync(category.Table, ended, onlyIfUnchanged: false, cancellationToken);
                    if (kept.Count > 0)
                    {
                        retained.Add(new RetainedRecords(category.Policy.Key, kept.Count, category.Policy.LegalBasis!, period.From(kept.Max(r => category.DateOf(r) ?? today))) { Ground = ErasureExceptions.GroundOf(category.Policy) });
                    }

                    break;
            }
        }

        return new ExecutionOutcome(erased, masked, 0, 0, retained);
    }

    /// <summary>
    /// Copies the person's rows, category by category: the properties <c>queries.export</c> names, or else every
    /// property the rows hold (keys included), dates as ISO 8601 text.
    /// </summary>
    public async Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken)
    {
        var exported = 0;
        foreach (var category in _categories)
        {
            var rows = await FindAsync(category, call.Subject, cancellationToken);
            IReadOnlyList<string> columns = category.Export.Count > 0
                ? category.Export
                : ["PartitionKey", "RowKey", .. rows.SelectMany(r => r.PropertyNames).Distinct(StringComparer.Ordinal)];
            await sink.BeginTableAsync(category.Policy.Key, category.Table, columns, category.Policy.Provided, cancellationToken);
            foreach (var row in rows)
            {
                await sink.WriteRowAsync([.. columns.Select(c => Portable(row, c))], cancellationToken);
                exported++;
            }
        }

        return new ExecutionOutcome(0, 0, exported, 0, []);
    }

    /// <summary>
    /// One bounded purge step: rows of the category's table dated (<c>queries.date</c>) before the cutoff, at most
    /// <see cref="PurgeCommand.BatchSize"/>, sparing people under a hold, deleted in transactions per partition
    /// only if unchanged since read. A dry run reads every due row and deletes nothing.
    /// </summary>
    public async Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken)
    {
        var category = _categories.FirstOrDefault(c => c.Policy.Key == command.Category);
        if (category is null)
        {
            return PurgeOutcome.NotHeld;
        }

        if (category.Date is null)
        {
            return PurgeOutcome.NotSupported("No date property is registered for this category (queries.date in the source's registration), so its records cannot be purged by age.");
        }

        string[] select = [.. new[] { category.Match, category.Date }.Where(p => p is not ("PartitionKey" or "RowKey")).Distinct(StringComparer.Ordinal)];
        bool Held(SourceRow row) => command.HeldSubjects.Count > 0 && EmailAddress.TryNormalize(row.GetText(category.Match), out var email)
            && command.HeldSubjects.Contains(LegalHold.HashSubject(email));
        if (command.DryRun)
        {
            var due = (await client.FindBeforeAsync(category.Table, category.Date, command.Cutoff, null, select, cancellationToken))
                .Where(r => category.DateOf(r) < command.Cutoff).ToList();
            var held = due.Count(Held);
            return new PurgeOutcome(due.Count, due.Count - held, held, Complete: true);
        }

        // Read rows due in key order until a batch of unheld ones is found or the table ends (held rows are few).
        var take = command.BatchSize;
        while (true)
        {
            var rows = await client.FindBeforeAsync(category.Table, category.Date, command.Cutoff, take, select, cancellationToken);
            var reachedEnd = rows.Count < take;
            var due = rows.Where(r => category.DateOf(r) < command.Cutoff).ToList();
            var free = due.Where(r => !Held(r)).ToList();
            if (free.Count < command.BatchSize && !reachedEnd)
            {
                take *= 2;
                continue;
            }

            var purged = await client.DeleteAsync(category.Table, [.. free.Take(command.BatchSize)], onlyIfUnchanged: true, cancellationToken);
            var complete = reachedEnd && free.Count <= command.BatchSize;
            var held = complete ? due.Count - free.Count : 0;
            return new PurgeOutcome(purged + held, purged, held, complete);
        }
    }

    private async Task<int> MaskAsync(Category category, IReadOnlyList<SourceRow> rows, SubjectIdentity subject, CancellationToken cancellationToken)
    {
        if (MaskValues.For(category.Policy, subject, maskKey) is not { } value)
        {
            return await client.RemovePropertiesAsync(category.Table, rows, category.Mask, cancellationToken);
        }

        return await client.MergeAsync(category.Table, rows, category.Mask.ToDictionary(p => p, _ => (object)value, StringComparer.Ordinal), cancellationToken);
    }

    /// <summary>Sets each corrected detail in every category with a <c>rectify.field</c> property; the email last, since the rows are found by it.</summary>
    async Task<ExecutionOutcome> IActionTarget.RectifyAsync(SubjectIdentity subject, IReadOnlyList<Correction> corrections, CancellationToken cancellationToken)
    {
        var corrected = 0;
        var unsupported = new List<string>();
        foreach (var correction in corrections.OrderBy(c => c.Field == "email"))
        {
            var categories = _categories.Where(c => c.Rectify.ContainsKey(correction.Field)).ToList();
            if (categories.Count == 0)
            {
                unsupported.Add(correction.Field);
            }

            foreach (var category in categories)
            {
                var value = correction.Field == "email" && EmailAddress.TryNormalize(correction.Value, out var email) ? email : correction.Value;
                var rows = await FindAsync(category, subject, cancellationToken);
                corrected += await client.MergeAsync(category.Table, rows, new Dictionary<string, object> { [category.Rectify[correction.Field]] = value }, cancellationToken);
            }
        }

        return new ExecutionOutcome(0, 0, 0, corrected, [],
            Correction.NotChangedNote(unsupported)) { NotCorrected = unsupported };
    }

    /// <summary>Sets (or, when lifting, clears) each category's <c>queries.restrict</c> boolean property on the person's rows.</summary>
    async Task<ExecutionOutcome> IActionTarget.RestrictAsync(SubjectIdentity subject, bool lift, CancellationToken cancellationToken)
    {
        var categories = _categories.Where(c => c.Restrict is not null).ToList();
        var changed = 0;
        foreach (var category in categories)
        {
            var rows = await FindAsync(category, subject, cancellationToken);
            changed += await client.MergeAsync(category.Table, rows, new Dictionary<string, object> { [category.Restrict!] = !lift }, cancellationToken);
        }

        return categories.Count == 0
            ? ExecutionOutcome.Nothing with { Note = "This system cannot mark records as restricted automatically; the privacy team makes sure they are not used." }
            : new ExecutionOutcome(0, 0, 0, 0, []) { Restricted = changed };
    }

    /// <summary>An objection to direct marketing: deletes the person's rows in the source's <c>marketing.*</c> categories.</summary>
    async Task<ExecutionOutcome> IActionTarget.UnsubscribeAsync(SubjectIdentity subject, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var category in _categories.Where(c => c.Policy.Key.StartsWith(CategoryPolicy.MarketingPrefix, StringComparison.Ordinal)))
        {
            removed += await client.DeleteAsync(category.Table, await FindAsync(category, subject, cancellationToken), onlyIfUnchanged: false, cancellationToken);
        }

        return new ExecutionOutcome(removed, 0, 0, 0, [], removed > 0 ? "You are unsubscribed from marketing here." : null);
    }

    // The workflow hands over the normalised address (trimmed, lower-case, ASCII domain); rows are matched on exactly that.
    private Task<IReadOnlyList<SourceRow>> FindAsync(Category category, SubjectIdentity subject, CancellationToken cancellationToken) =>
        client.FindAsync(category.Table, category.Match, subject.Email, cancellationToken);

    private static object? Portable(SourceRow row, string column) => row.Get(column) switch
    {
        null => null,
        string or int or long or double or bool => row.Get(column),
        _ => row.GetText(column),
    };

    /// <summary>A category's table settings, read once from its registration (validated already).</summary>
    private sealed class Category(CategoryPolicy policy)
    {
        public CategoryPolicy Policy { get; } = policy;

        public string Table { get; } = policy.Queries["table"];

        public string Match { get; } = policy.Queries["match"];

        public string? Date { get; } = policy.Queries.GetValueOrDefault("date");

        public string? Account { get; } = policy.Queries.GetValueOrDefault("account");

        public string? Restrict { get; } = policy.Queries.GetValueOrDefault("restrict");

        public IReadOnlyList<string> Mask { get; } = SourceRegistrationValidator.PropertyList(policy.Queries.GetValueOrDefault("mask"));

        public IReadOnlyList<string> Export { get; } = SourceRegistrationValidator.PropertyList(policy.Queries.GetValueOrDefault("export"));

        public IReadOnlyDictionary<string, string> Rectify { get; } = policy.Queries
            .Where(q => q.Key.StartsWith("rectify.", StringComparison.Ordinal))
            .ToDictionary(q => q.Key["rectify.".Length..], q => q.Value, StringComparer.Ordinal);

        /// <summary>The row's date: an <c>Edm.DateTime</c> (its UTC day) or ISO 8601 text; null when it has none or another form.</summary>
        public DateOnly? DateOf(SourceRow row) => Date is null ? null : row.Get(Date) switch
        {
            DateTimeOffset at => DateOnly.FromDateTime(at.UtcDateTime),
            string text when IsoDate().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) =>
                DateOnly.FromDateTime(at.UtcDateTime),
            _ => null,
        };
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T|$)")]
    private static partial Regex IsoDate();
}
