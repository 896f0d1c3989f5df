using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataRights.Core.Requests;
using DataRights.Core.Sources;

namespace DataRights.Host.Sources;

/// <summary>
/// A customer system speaking our documented JSON contract (docs/http-connector-contract.md): signed
/// requests (HMAC-SHA256 over timestamp and body), strict parsing of answers, timeouts and retries
/// left to the work queue. Garbage answers are failures, never "nothing found".
/// </summary>
public sealed class HttpSourceConnector(HttpClient client, Uri baseAddress, byte[] secret, TimeProvider time) : IDataSourceConnector
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ConnectionTest> TestAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, "health", null, cancellationToken);
            return response.IsSuccessStatusCode
                ? new ConnectionTest(true, "The system answered its health check.")
                : new ConnectionTest(false, $"The system answered {(int)response.StatusCode} to its health check.");
        }
        catch (HttpRequestException ex)
        {
            return new ConnectionTest(false, $"Could not reach the system: {ex.HttpRequestError}.");
        }
    }

    public async Task<DiscoveryFindings> DiscoverAsync(SubjectIdentity subject, CancellationToken cancellationToken)
    {
        var answer = await PostAsync<DiscoverAnswer>("discover", subject, cancellationToken);
        if (answer is not { Records: >= 0, Categories: not null })
        {
            throw new InvalidDataException("The system's discovery answer is not in the contract's shape.");
        }

        return new DiscoveryFindings(answer.Records, answer.Categories, answer.AccountMatched);
    }

    public async Task<ExecutionOutcome> ExecuteAsync(SubjectIdentity subject, RequestType action, string? instructions, CancellationToken cancellationToken)
    {
        if (action != RequestType.Erasure)
        {
            return ExecutionOutcome.Nothing with { Note = $"This system cannot carry out {action.Name()} requests automatically yet; the privacy team handles it by hand." };
        }

        var answer = await PostAsync<EraseAnswer>("erase", subject, cancellationToken);
        if (answer is not { Erased: >= 0, Masked: >= 0 } || (answer.Retained ?? []).Any(r => r.Count < 0 || string.IsNullOrWhiteSpace(r.Category) || string.IsNullOrWhiteSpace(r.LegalBasis)))
        {
            throw new InvalidDataException("The system's erasure answer is not in the contract's shape.");
        }

        return new ExecutionOutcome(answer.Erased, answer.Masked, 0, 0, [.. (answer.Retained ?? []).Select(r => new RetainedRecords(r.Category!, r.Count, r.LegalBasis!, r.RetainedUntil))]);
    }

    /// <summary>The signature the contract defines, for the system's side and for tests.</summary>
    public static string Sign(byte[] secret, string timestamp, byte[] body)
    {
        var message = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, message));
    }

    private async Task<T?> PostAsync<T>(string path, SubjectIdentity subject, CancellationToken cancellationToken)
    {
        var body = new { subject = new { email = subject.Email, name = subject.FullName, accountId = subject.AccountReference } };
        using var response = await SendAsync(HttpMethod.Post, path, JsonSerializer.SerializeToUtf8Bytes(body, Json), cancellationToken);
        if (response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError)
        {
            throw new HttpRequestException($"The system answered {(int)response.StatusCode}; it will be asked again.", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The system refused the call with {(int)response.StatusCode}.");
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
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

    private sealed record DiscoverAnswer(int Records, List<string>? Categories, bool AccountMatched);

    private sealed record EraseAnswer(int Erased, int Masked, List<RetainedAnswer>? Retained);

    private sealed record RetainedAnswer(string? Category, int Count, string? LegalBasis, DateOnly? RetainedUntil);
}
