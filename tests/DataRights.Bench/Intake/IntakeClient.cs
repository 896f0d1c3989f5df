using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace DataRights.Bench.Intake;

/// <summary>
/// Posts JSON submissions to <c>POST /api/requests</c> through one shared HttpClient. Every submission
/// has its own email address, so duplicate detection and the per-email limit never apply.
/// </summary>
internal sealed class IntakeClient : IDisposable
{
    private const string RequestsPath = "api/requests";
    private const string HealthPath = "healthz";
    private readonly HttpClient _client;
    private readonly string _prefix;
    private long _next;
    private long _accepted;

    // prefix starts every email address, so two clients on one host never submit the same person twice.
    public IntakeClient(Uri baseAddress, int connections, string prefix = "bench")
    {
        _prefix = prefix;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
        };
        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Responses that were 202 Accepted, over the client's lifetime (pre-flight and warm-up included).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>One submission: null when the answer is 202, otherwise "HTTP nnn".</summary>
    public async ValueTask<string?> SubmitAsync(int worker, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            Interlocked.Increment(ref _accepted);
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
    }

    /// <summary>
    /// The same POST with an email address that fails validation: body read, JSON parse, validation and a
    /// problem-details answer, but no store. Null when the answer is 400, as it should be.
    /// </summary>
    public async ValueTask<string?> SubmitInvalidAsync(int worker, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(cancellationToken, email: "not-an-email-address");
        return response.StatusCode == HttpStatusCode.BadRequest ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
    }

    /// <summary>GET /healthz: the floor of one HTTP round trip through Kestrel and the program's middleware.</summary>
    public async ValueTask<string?> HealthAsync(int worker, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(HealthPath, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
    }

    /// <summary>One submission that must be accepted; otherwise the status and body, to explain a misconfigured run.</summary>
    public async Task EnsureAcceptedAsync(CancellationToken cancellationToken)
    {
        using var response = await PostAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(
                $"Pre-flight POST /{RequestsPath} answered {(int)response.StatusCode} {response.ReasonPhrase}, not 202: {body}");
        }

        Interlocked.Increment(ref _accepted);
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> PostAsync(CancellationToken cancellationToken, string? email = null)
    {
        var n = Interlocked.Increment(ref _next);
        email ??= string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{n}@example.com");
        var json = string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"type":"erasure","email":"{{email}}","fullName":"Bench Person {{_prefix}} {{n}}","jurisdiction":"UK"}""");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, RequestsPath) { Content = content };
        // The default completion option buffers the body, so the connection is free again when this returns.
        return await _client.SendAsync(request, cancellationToken);
    }
}
