using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DataRights.Core.Email;
using DataRights.Email.SendGrid;
using DataRights.Email.SendGrid.SentLog;

namespace DataRights.Email.Tests;

public sealed class SendGridEmailSenderTests
{
    private static readonly TimeSpan[] NoDelays = [];

    [Fact]
    public async Task SendAsync_Accepted_PostsDocumentedMailSendRequest()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-abc"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);
        var message = SenderHarness.Message();

        await harness.Sender.SendAsync(message, CancellationToken.None);

        var request = Assert.Single(sendGrid.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v3/mail/send", request.Path);
        Assert.Equal("Bearer test-key", request.Headers["Authorization"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("application/json", request.Headers["Accept"]);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        var personalization = Assert.Single(root.GetProperty("personalizations").EnumerateArray());
        var to = Assert.Single(personalization.GetProperty("to").EnumerateArray());
        Assert.Equal(message.To, to.GetProperty("email").GetString());
        Assert.Equal(SenderHarness.FromEmail, root.GetProperty("from").GetProperty("email").GetString());
        Assert.Equal(SenderHarness.FromName, root.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal(message.Subject, root.GetProperty("subject").GetString());

        var content = root.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(2, content.Count);
        Assert.Equal("text/plain", content[0].GetProperty("type").GetString());
        Assert.Equal(message.TextBody, content[0].GetProperty("value").GetString());
        Assert.Equal("text/html", content[1].GetProperty("type").GetString());
        Assert.Equal(message.HtmlBody, content[1].GetProperty("value").GetString());

        var tracking = root.GetProperty("tracking_settings");
        Assert.False(tracking.GetProperty("click_tracking").GetProperty("enable").GetBoolean());
        Assert.False(tracking.GetProperty("click_tracking").GetProperty("enable_text").GetBoolean());
        Assert.False(tracking.GetProperty("open_tracking").GetProperty("enable").GetBoolean());
        Assert.False(tracking.GetProperty("subscription_tracking").GetProperty("enable").GetBoolean());
        Assert.False(tracking.GetProperty("ganalytics").GetProperty("enable").GetBoolean());

        var customArgs = root.GetProperty("custom_args").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["request_id"] = message.RequestId, ["message_id"] = message.Id }, customArgs);
        Assert.DoesNotContain(customArgs.Values, v => v!.Contains('@', StringComparison.Ordinal) || v.Contains("Ada", StringComparison.OrdinalIgnoreCase));
        Assert.False(root.TryGetProperty("categories", out _));
    }

    [Fact]
    public async Task SendAsync_Accepted_GoesThroughSendGridsClientLibraryAtTheConfiguredHost()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-lib"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        // SendGridClient names itself in the User-Agent; the hand-written client sent none.
        Assert.StartsWith("sendgrid/9.", Assert.Single(sendGrid.Requests).Header("User-Agent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Accepted_ReturnsXMessageIdAndRecordsIt()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-abc"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var result = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal(new EmailSendResult(AlreadySent: false, "sg-abc"), result);
        Assert.Equal("sg-abc", await harness.SentLog.FindAsync(SenderHarness.Message().Id));
        Assert.Equal(NoDelays, harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_AcceptedButItsRecordCannotBeWritten_SaysSo_SoNothingAfterTheSendFailsTheStep()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-abc"));
        using var harness = new SenderHarness(sendGrid.BaseAddress, new UnwritableSentLog());

        var result = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal((false, "sg-abc", true), (result.AlreadySent, result.ProviderMessageId, result.NotRecorded));
        Assert.Single(sendGrid.Requests);
        // Tried three times, 200 and 400 ms apart, before it is left unrecorded.
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_AcceptedAndItsRecordFailingOnce_IsRecordedOnTheNextTry_SoARunAgainSendsNothing()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-abc"));
        var log = new FlakySentLog(failures: 1);
        using var harness = new SenderHarness(sendGrid.BaseAddress, log);

        var result = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);
        var again = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal(new EmailSendResult(AlreadySent: false, "sg-abc"), result);
        Assert.Equal(new EmailSendResult(AlreadySent: true, "sg-abc"), again);
        Assert.Single(sendGrid.Requests);
        Assert.Equal([TimeSpan.FromMilliseconds(200)], harness.Time.Delays);
    }

    /// <summary>A sent log whose records fail <c>failures</c> times (a passing store failure), then work.</summary>
    private sealed class FlakySentLog(int failures) : DelegatingSentLog(new InMemorySentMessageLog())
    {
        private int _failures = failures;

        public override Task RecordAsync(SendClaim claim, string? providerId) =>
            Interlocked.Decrement(ref _failures) >= 0 ? throw new InvalidOperationException("The store cannot be reached.") : base.RecordAsync(claim, providerId);
    }

    /// <summary>A sent log whose records cannot be written.</summary>
    private sealed class UnwritableSentLog() : DelegatingSentLog(new InMemorySentMessageLog())
    {
        public override Task RecordAsync(SendClaim claim, string? providerId) => throw new InvalidOperationException("The store cannot be reached.");
    }

    /// <summary>A sent log whose claims another run takes over while they wait between attempts.</summary>
    private sealed class TakenOverSentLog() : DelegatingSentLog(new InMemorySentMessageLog())
    {
        public override Task<SendClaim?> ExtendAsync(SendClaim claim, DateTimeOffset until) => Task.FromResult<SendClaim?>(null);
    }

    [Fact]
    public async Task SendAsync_WhileAnotherRunSendsTheSameMessage_SendsNothing_AndSaysWhenItsHoldEnds()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-other"), ScriptedResponse.Accepted("sg-twice"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);
        var message = SenderHarness.Message();
        var other = await harness.SentLog.ClaimAsync(message.Id, SenderHarness.Start, TimeSpan.FromMinutes(2));

        var held = await Assert.ThrowsAsync<EmailSendInProgressException>(() => harness.Sender.SendAsync(message, CancellationToken.None));

        Assert.Equal(SenderHarness.Start + TimeSpan.FromMinutes(2), held.HeldUntil);
        Assert.Empty(sendGrid.Requests);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[4009]", StringComparison.Ordinal));

        // The other run's send goes through and is recorded: asked again, this run sends nothing.
        await harness.SentLog.RecordAsync(other, "sg-other");
        Assert.Equal(new EmailSendResult(AlreadySent: true, "sg-other"), await harness.Sender.SendAsync(message, CancellationToken.None));
        Assert.Empty(sendGrid.Requests);
    }

    [Fact]
    public async Task SendAsync_AfterTheHoldOfARunThatDiedRunsOut_SendsTheMessageOnce()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-late"), ScriptedResponse.Accepted("sg-twice"));
        using var harness = new SenderHarness(sendGrid.BaseAddress, settings: new Dictionary<string, string?> { ["SendGrid:SendHold"] = "00:00:30" });
        var message = SenderHarness.Message();
        await harness.SentLog.ClaimAsync(message.Id, SenderHarness.Start, TimeSpan.FromSeconds(30));

        harness.Time.Advance(TimeSpan.FromSeconds(31));
        var sent = await harness.Sender.SendAsync(message, CancellationToken.None);
        var again = await harness.Sender.SendAsync(message, CancellationToken.None);

        Assert.Equal(new EmailSendResult(AlreadySent: false, "sg-late"), sent);
        Assert.True(again.AlreadySent);
        Assert.Single(sendGrid.Requests);
    }

    [Fact]
    public async Task SendAsync_NotSent_LetsItsHoldGo_SoTheNextTrySendsAtOnce()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(503), ScriptedResponse.Accepted("sg-next"));
        using var harness = new SenderHarness(sendGrid.BaseAddress, settings: new Dictionary<string, string?> { ["SendGrid:MaxAttempts"] = "1" });
        var message = SenderHarness.Message();

        await Assert.ThrowsAsync<TransientEmailException>(() => harness.Sender.SendAsync(message, CancellationToken.None));
        var next = await harness.Sender.SendAsync(message, CancellationToken.None);

        Assert.Equal(new EmailSendResult(AlreadySent: false, "sg-next"), next);
        Assert.Equal(2, sendGrid.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_ItsHoldTakenOverDuringAWaitBetweenAttempts_StopsThere_SoOnlyTheOtherRunSends()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(503), ScriptedResponse.Accepted("sg-twice"));
        using var harness = new SenderHarness(sendGrid.BaseAddress, new TakenOverSentLog());

        await Assert.ThrowsAsync<EmailSendInProgressException>(() => harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None));

        Assert.Single(sendGrid.Requests);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[4012]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_BadRequest_ThrowsPermanentWithSendGridMessagesAndDoesNotRetry()
    {
        var message = SenderHarness.Message();
        await using var sendGrid = await FakeSendGrid.StartAsync(
            ScriptedResponse.Errors(400, "The from address does not match a verified Sender Identity.", $"Does not contain a valid address: {message.To}"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var ex = await Assert.ThrowsAsync<PermanentEmailException>(() => harness.Sender.SendAsync(message, CancellationToken.None));

        Assert.Single(sendGrid.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(["The from address does not match a verified Sender Identity.", "Does not contain a valid address: [redacted]"], ex.Errors);
        Assert.Contains("The from address does not match a verified Sender Identity.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(message.To, ex.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SenderHarness.ApiKey, ex.ToString(), StringComparison.Ordinal);
        Assert.Null(await harness.SentLog.FindAsync(message.Id));
        Assert.Equal(NoDelays, harness.Time.Delays);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task SendAsync_TheAccountRefused_ThrowsTransientAfterOneRequest_SoTheMessageIsTriedAgainLater(int status)
    {
        // A key revoked or rotated, credits run out ("Maximum credits exceeded" comes as 401): every message fails alike until
        // the account is put right, so none is given up for it at once.
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Errors(status, "Maximum credits exceeded"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);
        var message = SenderHarness.Message();

        var ex = await Assert.ThrowsAsync<TransientEmailException>(() => harness.Sender.SendAsync(message, CancellationToken.None));

        Assert.Single(sendGrid.Requests);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Contains("check the API key", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SenderHarness.ApiKey, ex.ToString(), StringComparison.Ordinal);
        Assert.Null(await harness.SentLog.FindAsync(message.Id));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(413)]
    public async Task SendAsync_OtherClientError_ThrowsPermanentAfterOneRequest(int status)
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Errors(status, "authorization required"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var ex = await Assert.ThrowsAsync<PermanentEmailException>(() => harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None));

        Assert.Single(sendGrid.Requests);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(["authorization required"], ex.Errors);
    }

    [Fact]
    public async Task SendAsync_ClientErrorWithoutJsonBody_ThrowsPermanentWithNoErrors()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(new DataRights.Testing.Http.ScriptedHttpResponse(404, new Dictionary<string, string>(), "<html>nope</html>"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var ex = await Assert.ThrowsAsync<PermanentEmailException>(() => harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Empty(ex.Errors);
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRetryAfterSeconds_WaitsThatLongThenSends()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(
            ScriptedResponse.Status(429, ("Retry-After", "2")),
            ScriptedResponse.Accepted("sg-2"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var result = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal(new EmailSendResult(false, "sg-2"), result);
        Assert.Equal(2, sendGrid.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], harness.Time.Delays);
        Assert.Equal(sendGrid.Requests[0].Body, sendGrid.Requests[1].Body);
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRetryAfterDate_WaitsUntilThatDate()
    {
        var until = SenderHarness.Start.AddSeconds(7).ToString("r", CultureInfo.InvariantCulture);
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(429, ("Retry-After", until)), ScriptedResponse.Accepted("sg-3"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(7)], harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsWithRateLimitReset_WaitsUntilReset()
    {
        var reset = SenderHarness.Start.AddSeconds(5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await using var sendGrid = await FakeSendGrid.StartAsync(
            ScriptedResponse.Status(429, ("X-RateLimit-Limit", "600"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset)),
            ScriptedResponse.Accepted("sg-4"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal(2, sendGrid.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(5)], harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_RetryAfterBeyondCap_WaitsMaxRetryDelay()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(503, ("Retry-After", "3600")), ScriptedResponse.Accepted("sg-5"));
        using var harness = new SenderHarness(sendGrid.BaseAddress, settings: new Dictionary<string, string?> { ["SendGrid:MaxRetryDelay"] = "00:00:30" });

        await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(30)], harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_ServerErrorsThenAccepted_RetriesWithGrowingDelays()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(
            ScriptedResponse.Status(500),
            ScriptedResponse.Status(503),
            ScriptedResponse.Accepted("sg-6"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var result = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal(new EmailSendResult(false, "sg-6"), result);
        Assert.Equal(3, sendGrid.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_ServerErrorWithRateLimitHeaders_IgnoresResetAndBacksOff()
    {
        // Every SendGrid response carries X-RateLimit-Reset; only a 429 means "wait for it".
        var reset = SenderHarness.Start.AddSeconds(45).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(500, ("X-RateLimit-Reset", reset)), ScriptedResponse.Accepted("sg-7"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(1)], harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_ServerErrorForever_ThrowsTransientAfterMaxAttempts()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(500));
        using var harness = new SenderHarness(sendGrid.BaseAddress);
        var message = SenderHarness.Message();

        var ex = await Assert.ThrowsAsync<TransientEmailException>(() => harness.Sender.SendAsync(message, CancellationToken.None));

        Assert.Equal(5, sendGrid.Requests.Count);
        Assert.Equal(5, ex.Attempts);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal([1, 2, 4, 8], harness.Time.Delays.Select(d => d.TotalSeconds));
        Assert.Null(await harness.SentLog.FindAsync(message.Id));
    }

    [Fact]
    public async Task SendAsync_TooManyRequestsForever_ThrowsTransientCarryingRetryAfter()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(429, ("Retry-After", "90")));
        using var harness = new SenderHarness(sendGrid.BaseAddress, settings: new Dictionary<string, string?> { ["SendGrid:MaxAttempts"] = "2" });

        var ex = await Assert.ThrowsAsync<TransientEmailException>(() => harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None));

        Assert.Equal(2, sendGrid.Requests.Count);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
        Assert.Equal([TimeSpan.FromSeconds(60)], harness.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_ServerUnreachable_ThrowsTransientAfterMaxAttempts()
    {
        using var harness = new SenderHarness(new Uri($"http://127.0.0.1:{ClosedPort()}/"), settings: new Dictionary<string, string?> { ["SendGrid:MaxAttempts"] = "3" });
        var message = SenderHarness.Message();

        var ex = await Assert.ThrowsAsync<TransientEmailException>(() => harness.Sender.SendAsync(message, CancellationToken.None));

        Assert.Null(ex.StatusCode);
        Assert.Equal(3, ex.Attempts);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], harness.Time.Delays);
        Assert.Null(await harness.SentLog.FindAsync(message.Id));
    }

    [Fact]
    public async Task SendAsync_SameMessageIdTwice_SendsOneRequest()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-once"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var first = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);
        var second = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal(new EmailSendResult(AlreadySent: false, "sg-once"), first);
        Assert.Equal(new EmailSendResult(AlreadySent: true, "sg-once"), second);
        Assert.Single(sendGrid.Requests);
    }

    [Fact]
    public async Task SendAsync_AcceptedWithoutMessageId_SecondSendIsStillSkipped()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted(null));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var first = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);
        var second = await harness.Sender.SendAsync(SenderHarness.Message(), CancellationToken.None);

        Assert.Equal(new EmailSendResult(false, null), first);
        Assert.Equal(new EmailSendResult(true, null), second);
        Assert.Single(sendGrid.Requests);
    }

    [Fact]
    public async Task SendAsync_DifferentMessageIds_SendsEach()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Accepted("sg-a"), ScriptedResponse.Accepted("sg-b"));
        using var harness = new SenderHarness(sendGrid.BaseAddress);

        var a = await harness.Sender.SendAsync(SenderHarness.Message("req-7f3a:msg:a"), CancellationToken.None);
        var b = await harness.Sender.SendAsync(SenderHarness.Message("req-7f3a:msg:b"), CancellationToken.None);

        Assert.Equal(("sg-a", "sg-b"), (a.ProviderMessageId, b.ProviderMessageId));
        Assert.Equal(2, sendGrid.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_AnyOutcome_LogsNoRecipientSubjectBodyOrApiKey()
    {
        var message = SenderHarness.Message();
        await using var sendGrid = await FakeSendGrid.StartAsync(
            ScriptedResponse.Status(429, ("Retry-After", "1")),
            ScriptedResponse.Accepted("sg-log"),
            ScriptedResponse.Errors(400, $"Invalid address {message.To} for subject {message.Subject}"),
            ScriptedResponse.Status(503));
        using var harness = new SenderHarness(sendGrid.BaseAddress, settings: new Dictionary<string, string?> { ["SendGrid:MaxAttempts"] = "2" });

        await harness.Sender.SendAsync(message, CancellationToken.None);
        await harness.Sender.SendAsync(message, CancellationToken.None);
        await Assert.ThrowsAsync<PermanentEmailException>(() => harness.Sender.SendAsync(message with { Id = "req-7f3a:msg:bad" }, CancellationToken.None));
        await Assert.ThrowsAsync<TransientEmailException>(() => harness.Sender.SendAsync(message with { Id = "req-7f3a:msg:down" }, CancellationToken.None));

        var log = string.Join('\n', harness.Logs.Lines);
        Assert.Contains(message.Id, log, StringComparison.Ordinal);
        Assert.Contains("[4001]", log, StringComparison.Ordinal);
        Assert.Contains("[4002]", log, StringComparison.Ordinal);
        Assert.Contains("[4004]", log, StringComparison.Ordinal);
        Assert.Contains("[4005]", log, StringComparison.Ordinal);
        Assert.DoesNotContain(message.To, log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ada.lovelace", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(message.Subject, log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Hello Ada", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tok-123", log, StringComparison.Ordinal);
        Assert.DoesNotContain(SenderHarness.ApiKey, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Cancelled_ThrowsOperationCanceledAndRecordsNothing()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync(ScriptedResponse.Status(503));
        using var harness = new SenderHarness(sendGrid.BaseAddress);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Sender.SendAsync(SenderHarness.Message(), cancellation.Token));

        Assert.Null(await harness.SentLog.FindAsync(SenderHarness.Message().Id));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
