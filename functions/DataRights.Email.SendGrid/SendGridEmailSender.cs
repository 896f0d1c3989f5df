using System.Net;
using System.Runtime.CompilerServices;
using DataRights.Core.Email;
using DataRights.Email.SendGrid.SentLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Reliability;

namespace DataRights.Email.SendGrid;

/// <summary>
/// Sends through SendGrid's own client (<see cref="SendGridClient"/>). Idempotent on <see cref="EmailMessage.Id"/>
/// through <see cref="ISentMessageLog"/>: the id is claimed before sending (held for <see cref="SendGridOptions.SendHold"/>,
/// extended through each wait between attempts), recorded after SendGrid accepted, let go of when it did not. A second
/// run of the same step while the first still sends finds the claim held and throws
/// <see cref="EmailSendInProgressException"/> having sent nothing.
/// 429 and 5xx are retried here (honouring <c>Retry-After</c> / <c>X-RateLimit-Reset</c>, capped) and end in
/// <see cref="TransientEmailException"/>; any other 4xx is a <see cref="PermanentEmailException"/> at once.
/// </summary>
/// <remarks>
/// The library's own retries stay off: it only adds its retry handler to an HttpClient it creates itself, and we hand
/// it one from <see cref="IHttpClientFactory"/>. Its handler waits a fixed backoff and reads neither <c>Retry-After</c>
/// nor <c>X-RateLimit-Reset</c>, so the retry rules (which codes, which headers, the cap, never a 4xx) stay in the one
/// loop below, on the app's clock, where the tests check them; two layers would multiply the attempts.
/// </remarks>
public sealed class SendGridEmailSender : IEmailSender
{
    public const string HttpClientName = "DataRights.Email.SendGrid";

    private const string Redacted = "[redacted]";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly SendGridOptions _options;
    private readonly SendGridClientOptions _clientOptions;
    private readonly ISentMessageLog _sentLog;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

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
        _clientOptions = new SendGridClientOptions
        {
            ApiKey = _options.ApiKey,
            Host = _options.BaseAddress.ToString(),
            // No retries inside the library (see the remarks): this loop owns them.
            ReliabilitySettings = new ReliabilitySettings(),
        };
    }

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var claim = await _sentLog.ClaimAsync(message.Id, _timeProvider.GetUtcNow(), _options.SendHold);
        switch (claim.Status)
        {
            case SendClaimStatus.Sent:
                var previousId = string.IsNullOrEmpty(claim.ProviderId) ? null : claim.ProviderId;
                _logger.AlreadySent(message.Id, message.RequestId, previousId);
                return new EmailSendResult(AlreadySent: true, previousId);
            case SendClaimStatus.Held:
                // The step was delivered again while its first run still sends: that run records it or lets it go.
                var heldUntil = claim.HeldUntil ?? _timeProvider.GetUtcNow();
                _logger.SendInProgress(message.Id, message.RequestId, heldUntil);
                throw new EmailSendInProgressException(message.Id, heldUntil);
        }

        // The claim as it stands (each wait between attempts extends it).
        var held = new StrongBox<SendClaim>(claim);
        try
        {
            return await SendClaimedAsync(message, held, cancellationToken);
        }
        catch (Exception)
        {
            // Not sent (refused, failed for now, cancelled): the claim goes, so the next try need not wait for its hold.
            await ReleaseAsync(held.Value!);
            throw;
        }
    }

    private async Task<EmailSendResult> SendClaimedAsync(EmailMessage message, StrongBox<SendClaim> claim, CancellationToken cancellationToken)
    {
        var mail = SendGridMessages.Create(message, _options);
        // A client per send over a pooled handler from the factory, as IHttpClientFactory intends.
        var client = new SendGridClient(_httpClientFactory.CreateClient(HttpClientName), _clientOptions);
        for (var attempt = 1; ; attempt++)
        {
            Response response;
            try
            {
                response = await client.SendEmailAsync(mail, cancellationToken);
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
                claim.Value = await HoldThroughAsync(message, claim.Value!, wait);
                await Task.Delay(wait, _timeProvider, cancellationToken);
                continue;
            }

            using (response.Body)
            {
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    var providerId = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
                    _logger.Accepted(message.Id, message.RequestId, (int)status, attempt, providerId);
                    var recorded = await RecordAsync(message, claim.Value!, providerId);
                    return new EmailSendResult(AlreadySent: false, providerId) { NotRecorded = !recorded };
                }

                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    // The account, not the message: a key revoked or rotated, credits run out, an address not allowed.
                    // Every message fails alike until it is put right, so this one is not given up at once: the work
                    // queue tries it again with its backoff, as after an outage.
                    var errors = Redact(await SendGridErrors.ReadAsync(response.Body, cancellationToken), message.To);
                    _logger.AccountRefused(message.Id, message.RequestId, (int)status, errors.Count);
                    throw new TransientEmailException(
                        $"SendGrid refused the account with {(int)status} {status} (check the API key, its permissions and the account's credits); message {message.Id} was not sent: {(errors.Count == 0 ? "no error details" : string.Join("; ", errors))}",
                        status,
                        attempt,
                        null,
                        null);
                }

                if (!IsTransient(status))
                {
                    var errors = Redact(await SendGridErrors.ReadAsync(response.Body, cancellationToken), message.To);
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
                claim.Value = await HoldThroughAsync(message, claim.Value!, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Tries of the sent log's write after SendGrid accepted a message, and the pause before the first try again (doubling).</summary>
    public const int RecordTries = 3;

    public static readonly TimeSpan RecordRetryAfter = TimeSpan.FromMilliseconds(200);

    private async Task<bool> RecordAsync(EmailMessage message, SendClaim claim, string? providerId)
    {
        // A record not written lets a run of the step again (after a crash, or a later email of the same step failing)
        // send the message a second time: a passing store failure is tried again at once, twice, before that is accepted.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _sentLog.RecordAsync(claim, providerId);
                return true;
            }
            catch (Exception ex) when (attempt < RecordTries)
            {
                _logger.RecordRetrying(message.Id, message.RequestId, attempt, ex.GetType().Name);
                await Task.Delay(RecordRetryAfter * (1 << (attempt - 1)), _timeProvider, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // SendGrid has the message: failing the work item now would only make the queue send it a second time.
                _logger.RecordFailed(message.Id, message.RequestId, providerId, ex.GetType().Name);
                return false;
            }
        }
    }

    /// <summary>
    /// Holds the claim through a wait of <paramref name="wait"/> and the attempt after it. A claim no longer this run's
    /// (it stalled past its hold and another run took the message over) ends this run's send: the other run sends it.
    /// </summary>
    private async Task<SendClaim> HoldThroughAsync(EmailMessage message, SendClaim claim, TimeSpan wait)
    {
        var until = _timeProvider.GetUtcNow() + wait + _options.SendHold;
        if (await _sentLog.ExtendAsync(claim, until) is { } held)
        {
            return held;
        }

        _logger.ClaimLost(message.Id, message.RequestId);
        throw new EmailSendInProgressException(message.Id, _timeProvider.GetUtcNow());
    }

    /// <summary>Lets the claim go after a send that did not happen; a store that cannot be reached leaves it to run out.</summary>
    private async Task ReleaseAsync(SendClaim claim)
    {
        try
        {
            await _sentLog.ReleaseAsync(claim);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.ReleaseFailed(claim.MessageId, ex.GetType().Name);
        }
    }

    private List<string> Redact(IReadOnlyList<string> errors, string recipient) =>
        [.. errors.Select(e => Scrub(Scrub(e, recipient), _options.ApiKey))];

    private static string Scrub(string text, string secret) =>
        secret.Length == 0 ? text : text.Replace(secret, Redacted, StringComparison.OrdinalIgnoreCase);
}
