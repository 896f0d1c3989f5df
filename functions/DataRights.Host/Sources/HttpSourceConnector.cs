using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataRights.Core.Requests;
using DataRights.Core.Retention;
using DataRights.Core.Sources;
using DataRights.Core.Text;

namespace DataRights.Host.Sources;

/// <summary>
/// A customer system speaking our documented JSON contract (docs/http-connector-contract.md): signed
/// requests (HMAC-SHA256 over timestamp and body), strict parsing of answers, timeouts and retries
/// left to the work queue. Garbage answers are failures, never "nothing found". Where it may connect, and
/// that it never follows a redirect, is the client's handler's business (<see cref="SourceAddresses"/>).
/// </summary>
public sealed class HttpSourceConnector(HttpClient client, Uri baseAddress, byte[] secret, TimeProvider time, ILogger? logger = null, string sourceKey = "") : IDataSourceConnector, ISignedAnswerSource
{
    /// <summary>An HTTP system has the pipeline's limit for a later answer.</summary>
    public TimeSpan? AnswerWithin => null;

    /// <summary>
    /// Calls the health check. Refused, closed, unreachable, timed out, or an address the rules refuse: all
    /// one plain answer, so the test cannot map a network; the log says which, by kind only.
    /// </summary>
    public async Task<ConnectionTest> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, "health", null, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new ConnectionTest(true, "The system answered its health check.");
            }

            logger?.SourceTestFailed(sourceKey, "answer", ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            return new ConnectionTest(false, $"The system answered {(int)response.StatusCode} to its health check.", "answer");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger?.SourceTestFailed(sourceKey, "unreachable", ex is HttpRequestException { InnerException: SourceAddressRefusedException }
                ? "address-refused"
                : ex is HttpRequestException http ? http.HttpRequestError.ToString() : "timeout");
            return new ConnectionTest(false, "Could not reach the system at its base address.", "unreachable");
        }
    }

    public async Task<DiscoveryFindings> DiscoverAsync(SourceCall call, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("discover", call, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted && call.Callback is not null
            ? DiscoveryFindings.Later
            : ParseDiscovery(await ReadAsync(response, cancellationToken));
    }

    public async Task<ExecutionOutcome> ExecuteAsync(SourceCall call, RequestType action, ActionInstructions? instructions, CancellationToken cancellationToken)
    {
        if (action != RequestType.Erasure)
        {
            return ExecutionOutcome.Nothing with { Note = $"This system cannot carry out {action.Name()} requests by itself; our privacy team does it by hand." };
        }

        using var response = await PostAsync("erase", call, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted && call.Callback is not null
            ? ExecutionOutcome.Later
            : ParseErasure(await ReadAsync(response, cancellationToken));
    }

    /// <summary>
    /// Asks the system for a copy of the person's records (<c>POST {base}/export</c>) and streams its
    /// tables into the sink; a system that needs time answers 202 and posts the same answer to the call's
    /// callback later (<see cref="ExecutionOutcome.Later"/>).
    /// </summary>
    public async Task<ExecutionOutcome> ExportAsync(SourceCall call, IExportSink sink, CancellationToken cancellationToken)
    {
        using var response = await PostAsync("export", call, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted && call.Callback is not null
            ? ExecutionOutcome.Later
            : await WriteExportAsync(await ReadAsync(response, cancellationToken), sink, cancellationToken);
    }

    /// <summary>Writes an export answer (from a 200, or posted to a callback) into the sink; anything not in the contract's shape is garbage.</summary>
    public static async Task<ExecutionOutcome> WriteExportAsync(byte[] json, IExportSink sink, CancellationToken cancellationToken)
    {
        var answer = Deserialize<ExportAnswer>(json);
        if (answer?.Tables is not { } tables || tables.Any(t => string.IsNullOrWhiteSpace(t.Category) || string.IsNullOrWhiteSpace(t.Name) || t.Columns is null || t.Rows is null
            || t.Rows.Any(r => r.Count != t.Columns.Count || r.Any(v => v.ValueKind is JsonValueKind.Object or JsonValueKind.Array))))
        {
            throw new InvalidDataException("The system's export answer is not in the contract's shape.");
        }

        // What the system holds but could not copy, in a line the person reads in their copy's README.
        var note = answer.Note?.Trim();
        if (note is not null && (note.Length is 0 or > MaxNoteLength || TextRules.HasForbiddenCharacters(note, multiLine: false)))
        {
            throw new InvalidDataException($"The export answer's note must be one line of plain text, up to {MaxNoteLength} characters.");
        }

        var exported = 0;
        foreach (var table in tables)
        {
            await sink.BeginTableAsync(table.Category!, table.Name!, table.Columns!, table.Provided, cancellationToken);
            foreach (var row in table.Rows!)
            {
                await sink.WriteRowAsync([.. row.Select(v => v.ValueKind switch
                {
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    JsonValueKind.Number => (object)v.GetDecimal(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => v.GetString(),
                })], cancellationToken);
                exported++;
            }
        }

        return new ExecutionOutcome(0, 0, exported, 0, [], note);
    }

    /// <summary>The longest note an export answer may carry.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>Reads a discovery answer (from a 200, or posted to a callback); anything else is garbage, never "nothing found".</summary>
    public static DiscoveryFindings ParseDiscovery(byte[] json)
    {
        var answer = Deserialize<DiscoverAnswer>(json);
        if (answer is not { Records: >= 0, Categories: not null } || answer.Categories.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidDataException("The system's discovery answer is not in the contract's shape.");
        }

        return new DiscoveryFindings(answer.Records, answer.Categories, answer.AccountMatched)
        {
            MatchedDataPoints = answer.MatchedDataPoints is { } matched ? [.. matched.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal)] : null,
        };
    }

    /// <summary>Reads an erasure answer (from a 200, or posted to a callback).</summary>
    public static ExecutionOutcome ParseErasure(byte[] json)
    {
        var answer = Deserialize<EraseAnswer>(json);
        if (answer is not { Erased: >= 0, Masked: >= 0 } || (answer.Retained ?? []).Any(r => r.Count < 0 || string.IsNullOrWhiteSpace(r.Category) || string.IsNullOrWhiteSpace(r.LegalBasis)))
        {
            throw new InvalidDataException("The system's erasure answer is not in the contract's shape.");
        }

        // The exception relied on (a legal obligation unless the system says legal claims): the article the person reads follows it.
        if ((answer.Retained ?? []).Any(r => !ErasureExceptions.TryParseGround(r.Ground, out _)))
        {
            throw new InvalidDataException($"The system's erasure answer gives a ground that is not {string.Join(" or ", ErasureExceptions.GroundNames)}.");
        }

        return new ExecutionOutcome(answer.Erased, answer.Masked, 0, 0, [.. (answer.Retained ?? []).Select(r => new RetainedRecords(r.Category!, r.Count, r.LegalBasis!, r.RetainedUntil)
        {
            Ground = ErasureExceptions.TryParseGround(r.Ground, out var ground) ? ground : ErasureGround.LegalObligation,
        })]);
    }

    /// <summary>
    /// Checks a signed message from the system (a callback): the signature over timestamp and body with the
    /// shared secret, and the timestamp within <see cref="ReplayWindow"/> of our clock.
    /// </summary>
    public static bool IsAuthentic(byte[] secret, string? timestamp, string? signature, byte[] body, DateTimeOffset now) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= ReplayWindow.TotalSeconds
        && signature is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp!, body)), Encoding.ASCII.GetBytes(signature));

    /// <summary>Whether a message really comes from this source (signed with its secret, within the replay window).</summary>
    public bool IsFromSource(string? timestamp, string? signature, byte[] body) => IsAuthentic(secret, timestamp, signature, body, time.GetUtcNow());

    /// <summary>How far a signed message's timestamp may be from the receiver's clock.</summary>
    public static TimeSpan ReplayWindow { get; } = TimeSpan.FromMinutes(5);

    /// <summary>The signature the contract defines, for the system's side and for tests.</summary>
    public static string Sign(byte[] secret, string timestamp, byte[] body)
    {
        var message = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, message));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, SourceCall call, CancellationToken cancellationToken)
    {
        var subject = call.Subject;
        var body = new
        {
            subject = new { email = subject.Email, name = subject.FullName, accountId = subject.AccountReference },

            // Only a search is sent the details the requester gave to prove who they are, to say which its records hold.
            dataPoints = path == "discover" && subject.DataPoints.Count > 0 ? subject.DataPoints.Select(d => new { name = d.Name, field = d.Field, value = d.Value }) : null,
            requestId = call.RequestId.Length > 0 ? call.RequestId : null,
            callback = call.Callback?.AbsoluteUri,
        };
        var response = await SendAsync(HttpMethod.Post, path, JsonSerializer.SerializeToUtf8Bytes(body, Json), cancellationToken);
        if (response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
        {
            response.Dispose();
            throw new HttpRequestException($"The system answered {(int)response.StatusCode}; it will be asked again.", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.Accepted && call.Callback is null))
        {
            response.Dispose();
            throw new InvalidOperationException($"The system refused the call with {(int)response.StatusCode}.");
        }

        return response;
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadAsByteArrayAsync(cancellationToken);

    private static T? Deserialize<T>(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            throw new InvalidDataException("The system's answer is not valid JSON.");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        request.Headers.Add("X-DataRights-Timestamp", timestamp);
        request.Headers.Add("X-DataRights-Signature", Sign(secret, timestamp, body ?? []));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        return await client.SendAsync(request, cancellationToken);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private sealed record DiscoverAnswer(int Records, List<string>? Categories, bool AccountMatched, List<string>? MatchedDataPoints);

    private sealed record ExportAnswer(List<ExportTable>? Tables, string? Note);

    private sealed record ExportTable(string? Category, string? Name, bool Provided, List<string>? Columns, List<List<JsonElement>>? Rows);

    private sealed record EraseAnswer(int Erased, int Masked, List<RetainedAnswer>? Retained);

    private sealed record RetainedAnswer(string? Category, int Count, string? LegalBasis, DateOnly? RetainedUntil, string? Ground);

    private sealed record PurgeAnswer(long? Scanned, long? Purged, long? Held, bool? Complete, bool? Applies);

    /// <summary>
    /// One bounded purge step through the contract's optional <c>POST {base}/purge</c>: the category, the
    /// cutoff, the batch size, dry run, and the people under a legal hold as hashes only (the system hashes
    /// each record's email the same way and spares matches). A system without the call (404, 405, 501) is
    /// reported "not supported", so it must apply the rule itself; a garbage answer is a failure.
    /// </summary>
    public async Task<PurgeOutcome> PurgeAsync(PurgeCommand command, CancellationToken cancellationToken)
    {
        var body = new
        {
            category = command.Category,
            cutoff = command.Cutoff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            batchSize = command.BatchSize,
            dryRun = command.DryRun,
            heldSubjects = command.HeldSubjects.Order(StringComparer.Ordinal).ToList(),
        };
        using var response = await SendAsync(HttpMethod.Post, "purge", JsonSerializer.SerializeToUtf8Bytes(body, Json), cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            return PurgeOutcome.NotSupported(
                $"The system does not offer the contract's purge call (it answered {(int)response.StatusCode}): it must apply this retention rule itself, or add POST /purge (docs/http-connector-contract.md).");
        }

        if (response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
        {
            throw new HttpRequestException($"The system answered {(int)response.StatusCode} to a purge step; the next run asks again.", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The system refused the purge step with {(int)response.StatusCode}.");
        }

        var answer = Deserialize<PurgeAnswer>(await ReadAsync(response, cancellationToken));
        if (answer is { Applies: false })
        {
            return PurgeOutcome.NotHeld;
        }

        if (answer is not { Scanned: >= 0 and <= int.MaxValue, Purged: >= 0, Held: >= 0 and <= int.MaxValue, Complete: { } complete }
            || answer.Purged > answer.Scanned
            || (!command.DryRun && answer.Purged > command.BatchSize))
        {
            throw new InvalidDataException("The system's purge answer is not in the contract's shape (counts missing, negative, or more purged than found or than the batch allows).");
        }

        return new PurgeOutcome((int)answer.Scanned.Value, (int)answer.Purged!.Value, (int)answer.Held.Value, complete);
    }
}
