using System.Globalization;
using System.Text.Json;
using DataRights.Core.Agents;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Workflow;

namespace DataRights.Agent;

/// <summary>
/// What the agent does with one command, whoever delivered it: runs it with the source's SQL connector and returns the
/// answer to post, in the HTTP connector contract's shapes (docs/http-connector-contract.md). A command answered before
/// is answered the same from the store, without running again. A command that keeps failing is answered, on its last
/// attempt, with the failure (<c>{"error": ...}</c>), so staff see why rather than a time-out.
/// </summary>
public sealed class AgentCommandHandler(AgentSources sources, IAnswerStore answers, ILogger<AgentCommandHandler> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The most purge batches one purge command runs (a category larger than this many batches finishes on the next run).</summary>
    public const int MaxPurgeBatches = 100_000;

    public async Task<byte[]> AnswerAsync(AgentCommand command, bool lastAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (await answers.FindAsync(command.CommandId, cancellationToken) is { } given)
        {
            logger.AnsweredBefore(command.CommandId);
            return given;
        }

        byte[] answer;
        try
        {
            answer = await RunAsync(command, cancellationToken);
        }
        catch (Exception ex) when (lastAttempt && ex is not OperationCanceledException)
        {
            logger.CommandFailed(command.CommandId, command.Source, ex.GetType().Name);
            answer = Error($"The agent could not carry out the step at its database ({ex.GetType().Name}); the agent's log has the details.");
        }

        // An export's answer is the person's data itself: it is not kept on disk (an export only reads, so a command
        // delivered again simply runs again).
        if (command.Kind != AgentCommandKind.Export)
        {
            await answers.SaveAsync(command.CommandId, answer, cancellationToken);
        }

        return answer;
    }

    /// <summary>Whether this command was run and its answer kept (it is then answered again, never run again).</summary>
    public async Task<bool> AnsweredBeforeAsync(string commandId, CancellationToken cancellationToken) =>
        await answers.FindAsync(commandId, cancellationToken) is not null;

    private async Task<byte[]> RunAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        if (sources.Connector(command.Source) is not { } connector)
        {
            return Error($"This agent serves no source '{command.Source}': register it in the agent's DataRights:Sources:Registered under the same key.");
        }

        // The operator's own registration decides what the agent may write: the pipeline's may say otherwise.
        var readOnly = sources.IsReadOnly(command.Source);
        if (command.Kind == AgentCommandKind.Purge && readOnly)
        {
            return Serialize(new { supported = false, note = "This source is registered read-only on the agent: nothing is deleted there." });
        }

        if (command.Kind == AgentCommandKind.Erase && readOnly)
        {
            return Error("This source is registered read-only on the agent, so nothing was erased there; ask its operator, or erase the records by hand.");
        }

        if (command.Kind == AgentCommandKind.Purge)
        {
            return command.Purge is { } order ? await PurgeAsync(connector, order, cancellationToken) : Error("The purge command has no purge order.");
        }

        if (command.Subject is not { } subject)
        {
            return Error("The command names no person.");
        }

        var call = new SourceCall(subject, command.RequestId ?? string.Empty);
        switch (command.Kind)
        {
            case AgentCommandKind.Discover:
                var found = await connector.DiscoverAsync(call, cancellationToken);
                return Serialize(new { records = found.RecordCount, categories = found.Categories, accountMatched = found.AccountReferenceMatched });
            case AgentCommandKind.Erase:
                var outcome = await connector.ExecuteAsync(call, RequestType.Erasure, null, cancellationToken);

                // Proof, as the pipeline asks of its own sources: a fresh search finds only what the law lets us keep.
                var after = await connector.DiscoverAsync(call, cancellationToken);
                var kept = outcome.Retained.Select(r => r.Category).ToHashSet(StringComparer.Ordinal);
                var left = after.Categories.Where(c => !kept.Contains(c)).ToList();
                return left.Count > 0
                    ? Error($"After erasure a new search still found {string.Join(", ", left)}; nothing was marked done.")
                    : Serialize(new
                    {
                        erased = outcome.Erased,
                        masked = outcome.Masked,
                        retained = outcome.Retained.Select(r => new { category = r.Category, count = r.Count, legalBasis = r.LegalBasis, retainedUntil = r.RetainedUntil, ground = Kebab.Of(r.Ground) }),
                    });
            case AgentCommandKind.Export:
                var sink = new ExportAnswerSink();
                var copied = await connector.ExportAsync(call, sink, cancellationToken);

                // Records found but not copied (a category with no export query) are named in the note, as for the
                // pipeline's own sources, so the person's copy does not look complete when it is not.
                return sink.ToJson(copied.Note);
            default:
                return Error($"This agent does not know commands of kind '{command.Kind}'; update it.");
        }
    }

    // The whole category, in local batches: the pipeline waits for one answer per category.
    private static async Task<byte[]> PurgeAsync(IDataSourceConnector connector, AgentPurgeOrder order, CancellationToken cancellationToken)
    {
        var held = order.HeldSubjects.ToHashSet(StringComparer.Ordinal);
        var purged = 0;
        var unpurged = 0;
        for (var batch = 0; batch < MaxPurgeBatches; batch++)
        {
            var step = await connector.PurgeAsync(new PurgeCommand(order.Category, order.Cutoff, order.BatchSize, order.DryRun, held), cancellationToken);
            if (!step.Applies)
            {
                return Serialize(new { applies = false });
            }

            if (!step.Supported)
            {
                return Serialize(new { supported = false, note = step.Note });
            }

            // Found past the cutoff over the whole category: everything purged, and what the last step found and left.
            purged += step.Purged;
            unpurged = step.Scanned - step.Purged;
            if (step.Complete)
            {
                return Serialize(new { scanned = purged + unpurged, purged, held = step.Held, complete = true });
            }
        }

        return Serialize(new { scanned = purged + unpurged, purged, held = 0, complete = false });
    }

    internal static byte[] Error(string text) => Serialize(new { error = text.Length > 200 ? text[..200] : text });

    private static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    /// <summary>Builds the contract's export answer (<c>{"tables": [...]}</c>) as the connector streams its tables.</summary>
    private sealed class ExportAnswerSink : IExportSink
    {
        private readonly MemoryStream _buffer = new();
        private readonly Utf8JsonWriter _writer;
        private bool _inTable;

        public ExportAnswerSink()
        {
            _writer = new Utf8JsonWriter(_buffer);
            _writer.WriteStartObject();
            _writer.WriteStartArray("tables");
        }

        public ValueTask BeginTableAsync(string category, string table, IReadOnlyList<string> columns, bool providedByPerson, CancellationToken cancellationToken)
        {
            EndTable();
            _writer.WriteStartObject();
            _writer.WriteString("category", category);
            _writer.WriteString("name", table);
            _writer.WriteBoolean("provided", providedByPerson);
            _writer.WriteStartArray("columns");
            foreach (var column in columns)
            {
                _writer.WriteStringValue(column);
            }

            _writer.WriteEndArray();
            _writer.WriteStartArray("rows");
            _inTable = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
        {
            _writer.WriteStartArray();
            foreach (var value in values)
            {
                switch (value)
                {
                    case null or DBNull:
                        _writer.WriteNullValue();
                        break;
                    case bool b:
                        _writer.WriteBooleanValue(b);
                        break;
                    case byte or short or int or long or float or double or decimal:
                        _writer.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                        break;
                    case DateTime or DateTimeOffset or DateOnly:
                        _writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                    case byte[] bytes:
                        _writer.WriteStringValue(Convert.ToBase64String(bytes));
                        break;
                    default:
                        _writer.WriteStringValue(value.ToString());
                        break;
                }
            }

            _writer.WriteEndArray();
            return ValueTask.CompletedTask;
        }

        public byte[] ToJson(string? note)
        {
            EndTable();
            _writer.WriteEndArray();
            if (note is not null)
            {
                _writer.WriteString("note", note);
            }

            _writer.WriteEndObject();
            _writer.Flush();
            _writer.Dispose();
            return _buffer.ToArray();
        }

        private void EndTable()
        {
            if (_inTable)
            {
                _writer.WriteEndArray();
                _writer.WriteEndObject();
                _inTable = false;
            }
        }
    }
}
