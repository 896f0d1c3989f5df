using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DataRights.Core.Email;
using DataRights.Email.SendGrid.SentLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Email.SendGrid;

/// <summary>
/// Sends through SendGrid's v3 Mail Send endpoint. Idempotent on <see cref="EmailMessage.Id"/> through
/// <see cref="ISentMessageLog"/>: checked before sending, written after SendGrid accepted.
/// 429 and 5xx are retried here (honouring <c>Retry-After</c> / <c>X-RateLimit-Reset</c>, capped) and end in
/// <see cref="TransientEmailException"/>; any other 4xx is a <see cref="PermanentEmailException"/> at once.
/// </summary>
/// <remarks>
/// Plain <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>, not Azure.Core's HttpPipeline: the retry rules
/// are SendGrid's own (which codes, which headers, the cap, never a 4xx) and live in one loop we can test; a pipeline
/// would add a second retry layer with other defaults, and a package, for nothing else.
/// </remarks>
public sealed class SendGridEmailSender : IEmailSender
{
    public const string HttpClientName = "DataRights.Email.SendGrid";

    // SendGrid's error bodies are small; never buffer an unbounded answer.
    private const int MaxErrorBodyBytes = 64 * 1024;
    private const string Redacted = "[redacted]";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly SendGridOptions _options;
    private readonly ISentMessageLog _sentLog;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Uri _endpoint;

    public SendGridEmailSender(
        IHttpClientFactory httpClientFactory,
        IOptions<SendGridOptions> options,
        ISentMessageLog sentLog,
        TimeProvider timeProvider,
        ILogger<SendGridEmailSender> logger)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sentLog);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _sentLog = sentLog;
        _timeProvider = timeProvider;
        _logger = logger;
        _endpoint = new Uri(_options.BaseAddress, "v3/mail/send");
    }

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await _sentLog.FindAsync(message.Id) is { } previous)
        {
            var previousId = previous.Length == 0 ? null : previous;
            _logger.AlreadySent(message.Id, message.RequestId, previousId);
            return new EmailSendResult(AlreadySent: true, previousId);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(MailSendBody.Create(message, _options), SendGridJson.Default.MailSendBody);
        var client = _httpClientFactory.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            using var request = NewRequest(body);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // No answer (refused, reset, timed out). SendGrid may have taken it; with no idempotency key a retry
                // risks a duplicate, as would the work queue's own retry, so retrying here costs nothing extra.
                if (attempt >= _options.MaxAttempts)
                {
                    _logger.GaveUp(message.Id, message.RequestId, attempt, 0);
                    throw new TransientEmailException(
                        $"SendGrid gave no response for message {message.Id} after {attempt} attempt(s).", null, attempt, null, ex);
                }

                var wait = RetryDelay.Next(attempt, null, _options);
                _logger.RetryingAfterNoResponse(message.Id, message.RequestId, attempt, _options.MaxAttempts, ex.GetType().Name, (long)wait.TotalMilliseconds);
                await Task.Delay(wait, _timeProvider, cancellationToken);
                continue;
            }

            using (response)
            {
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    var providerId = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
                    _logger.Accepted(message.Id, message.RequestId, (int)status, attempt, providerId);
                    await RecordAsync(message, providerId);
                    return new EmailSendResult(AlreadySent: false, providerId);
                }

                if (!IsTransient(status))
                {
                    var errors = Redact(await ReadErrorsAsync(response, cancellationToken), message.To);
                    _logger.Refused(message.Id, message.RequestId, (int)status, errors.Count, attempt);
                    var detail = errors.Count == 0 ? "no error details" : string.Join("; ", errors);
                    throw new PermanentEmailException(
                        $"SendGrid refused message {message.Id} with {(int)status} {status}: {detail}", status, errors);
                }

                var requested = RetryDelay.Requested(status, response.Headers, _timeProvider.GetUtcNow());
                if (attempt >= _options.MaxAttempts)
                {
                    _logger.GaveUp(message.Id, message.RequestId, attempt, (int)status);
                    throw new TransientEmailException(
                        $"SendGrid answered {(int)status} {status} for message {message.Id} on each of {attempt} attempt(s).", status, attempt, requested, null);
                }

                var delay = RetryDelay.Next(attempt, requested, _options);
                _logger.RetryingAfterStatus(message.Id, message.RequestId, (int)status, attempt, _options.MaxAttempts, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private HttpRequestMessage NewRequest(byte[] body)
    {
        // A request message cannot be sent twice: one per attempt, over the same serialised body.
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private async Task RecordAsync(EmailMessage message, string? providerId)
    {
        try
        {
            await _sentLog.RecordAsync(message.Id, providerId);
        }
        catch (Exception ex)
        {
            // SendGrid has the message: failing the work item now would only make the queue send it a second time.
            _logger.RecordFailed(message.Id, message.RequestId, providerId, ex.GetType().Name);
        }
    }

    private static async Task<IReadOnlyList<string>> ReadErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBodyBytes];
        var length = 0;
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(buffer.AsSpan(0, length), SendGridJson.Default.ErrorBody);
            return [.. (parsed?.Errors ?? []).Select(e => e.Message).OfType<string>().Where(m => m.Length > 0)];
        }
        catch (JsonException)
        {
            // Not SendGrid's JSON (a proxy's HTML page, a cut-off body): the status code alone has to do.
            return [];
        }
    }

    private List<string> Redact(IReadOnlyList<string> errors, string recipient) =>
        [.. errors.Select(e => Scrub(Scrub(e, recipient), _options.ApiKey))];

    private static string Scrub(string text, string secret) =>
        secret.Length == 0 ? text : text.Replace(secret, Redacted, StringComparison.OrdinalIgnoreCase);
}
