using System.Net;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Durable;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>
/// The console's page of requests received but set aside, not taken in (their taking in kept stopping the program): what
/// the person sent, shown escaped; a try again that starts at once (or at the next check, should it not start then); a removal only once staff confirm they
/// handled it by hand and say how, which is kept as a record; and nothing for anyone not signed in.
/// </summary>
public sealed class SetAsidePageTests
{
    [Fact]
    public async Task AnApprover_SeesWhatWasSent_AsksForOneToBeTriedAgain_AndRemovesAnotherOnlyOnceConfirmed()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var now = factory.Clock.GetUtcNow();
        var retried = await SetAsideAsync(factory, "dr_0000000000000000000000a1", "retried@example.com", "<b>Ann</b> & Co", now - TimeSpan.FromDays(2));
        var removed = await SetAsideAsync(factory, "dr_0000000000000000000000a2", "removed@example.com", "Bo Removed", now - TimeSpan.FromDays(1));
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        var requests = await client.GetStringAsync("/staff");
        var page = await client.GetStringAsync("/staff/set-aside");

        Assert.Contains("2 requests received could not be taken in and are set aside", requests, StringComparison.Ordinal);
        Assert.Contains("href=\"/staff/set-aside\"", requests, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Ann&lt;/b&gt; &amp; Co &lt;retried@example.com&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Ann</b>", page, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"handled-", page, StringComparison.Ordinal);
        Assert.Contains(">Access, received ", page, StringComparison.Ordinal);
        Assert.Contains("<dd>United Kingdom</dd>", page, StringComparison.Ordinal);
        Assert.Contains("Taking it in stopped DataRights 3 times before it finished.", page, StringComparison.Ordinal);
        Assert.Contains("counted from its arrival", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("retried@example.com", StringComparison.Ordinal) < page.IndexOf("removed@example.com", StringComparison.Ordinal), "oldest first");

        // Removing without confirming, or without saying how it was handled, changes nothing; what was written is kept in the form.
        using var unconfirmed = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove");
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        var refused = await unconfirmed.Content.ReadAsStringAsync();
        Assert.Contains("Confirm that you have handled this request by hand", refused, StringComparison.Ordinal);
        Assert.Contains("Say how you handled this request, so that the record shows it.", refused, StringComparison.Ordinal);
        Assert.Contains("Say what came of the request.", refused, StringComparison.Ordinal);
        Assert.Contains("Give the day you answered them.", refused, StringComparison.Ordinal);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        using var noNote = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove",
            ("handled", "yes"), ("how", "   "), ("outcome", "refused"), ("answered", Day(today)));
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        var noNotePage = await noNote.Content.ReadAsStringAsync();
        Assert.Contains("Say how you handled this request, so that the record shows it.", noNotePage, StringComparison.Ordinal);
        Assert.DoesNotContain("Confirm that you have handled this request by hand", noNotePage, StringComparison.Ordinal);
        Assert.DoesNotContain("Say what came of the request.", noNotePage, StringComparison.Ordinal);
        Assert.DoesNotContain("Give the day you answered them", noNotePage, StringComparison.Ordinal);
        Assert.Contains("value=\"yes\" checked", noNotePage, StringComparison.Ordinal);
        Assert.Contains("value=\"refused\" checked", noNotePage, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Day(today)}\"", noNotePage, StringComparison.Ordinal);
        using var tooLong = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove",
            ("how", new string('x', 2_001) + "<i>"), ("answered", Day(DateOnly.FromDateTime(removed.ReceivedAt.UtcDateTime).AddDays(-1))));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var tooLongPage = await tooLong.Content.ReadAsStringAsync();
        Assert.Contains("in 2,000 characters or fewer (you wrote 2,004).", tooLongPage, StringComparison.Ordinal);
        Assert.Contains("x&lt;i&gt;</textarea>", tooLongPage, StringComparison.Ordinal);
        Assert.Contains("The day you answered them cannot be before the request arrived, on ", tooLongPage, StringComparison.Ordinal);
        foreach (var (answered, problem) in new[] { (Day(today.AddDays(1)), "cannot be later than today"), ("7/12/2026", "as year, month and day, for example ") })
        {
            using var badDay = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove",
                ("handled", "yes"), ("how", "By phone"), ("outcome", "done"), ("answered", answered));
            Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
            Assert.Contains(problem, await badDay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.NotNull(await inbox.GetAsync(removed.Id, CancellationToken.None));
        Assert.Empty(await factory.Services.GetRequiredService<IHandledSubmissions>().ListAsync(10, CancellationToken.None));
        Assert.Contains("No request set aside has been handled by hand yet.", await client.GetStringAsync("/staff/set-aside"), StringComparison.Ordinal);

        // Tried again: its taking in starts at once, its stops counted afresh, and takes it in; no hourly check needed.
        using var tryAgain = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{retried.Id}/try-again");
        Assert.Equal(HttpStatusCode.Redirect, tryAgain.StatusCode);
        Assert.Equal("/staff/set-aside?done=try-again", tryAgain.Headers.Location?.OriginalString);
        Assert.False(File.Exists(NoteOf(factory, retried.Id)));
        await factory.DrainAsync();
        Assert.Null(await inbox.GetAsync(retried.Id, CancellationToken.None));
        Assert.NotNull(await factory.Services.GetRequiredService<IRequestStore>().FindAwaitingVerificationAsync("retried@example.com", CancellationToken.None));
        Assert.Single(factory.Outbox, m => m.To == "retried@example.com");
        var after = await client.GetStringAsync("/staff/set-aside?done=try-again");
        Assert.Contains("Taking it in has started again.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("retried@example.com", after, StringComparison.Ordinal);
        Assert.Contains("removed@example.com", after, StringComparison.Ordinal);

        using var confirmed = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove",
            ("handled", "yes"), ("how", "  Answered by email on 7 December <b>from privacy@</b>, ticket PRIV-12.  "), ("outcome", "done-in-part"), ("answered", Day(today)));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/staff/set-aside?done=removed", confirmed.Headers.Location?.OriginalString);
        Assert.Null(await inbox.GetAsync(removed.Id, CancellationToken.None));
        Assert.False(File.Exists(NoteOf(factory, removed.Id)));

        // What is kept of it: the request, why it was set aside, who handled it, when and how; nothing the person sent beyond the right and the place.
        var record = Assert.Single(await factory.Services.GetRequiredService<IHandledSubmissions>().ListAsync(10, CancellationToken.None));
        Assert.Equal(
            new HandledSubmission(removed.Id, removed.ReceivedAt, "access", "UK", record.DueOn, new SubmissionSetAside(removed.ReceivedAt + TimeSpan.FromHours(1), 3, TryAgain: false),
                factory.Clock.GetUtcNow(), "Priya Officer", "Answered by email on 7 December <b>from privacy@</b>, ticket PRIV-12.", HandledOutcome.DoneInPart, today),
            record);
        Assert.True(record.DueOn > DateOnly.FromDateTime(removed.ReceivedAt.UtcDateTime).AddDays(27));
        var handledPage = await client.GetStringAsync("/staff/set-aside?done=removed");
        Assert.Contains("You removed it and recorded how you handled it", handledPage, StringComparison.Ordinal);
        var handledSection = handledPage[handledPage.IndexOf("<h2>Handled by hand</h2>", StringComparison.Ordinal)..];
        Assert.Contains("<td>Access</td>", handledSection, StringComparison.Ordinal);
        Assert.Contains("by Priya Officer</td>", handledSection, StringComparison.Ordinal);
        Assert.Contains("<td>Done in part, answered ", handledSection, StringComparison.Ordinal);
        Assert.Contains("Answered by email on 7 December &lt;b&gt;from privacy@&lt;/b&gt;, ticket PRIV-12.", handledSection, StringComparison.Ordinal);
        Assert.Contains("Taking it in stopped DataRights 3 times before it finished.", handledSection, StringComparison.Ordinal);
        Assert.DoesNotContain("removed@example.com", handledPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Bo Removed", handledPage, StringComparison.Ordinal);

        // Once gone, both forms answer "not found" and change nothing.
        using var again = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/try-again");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var removedAgain = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove",
            ("handled", "yes"), ("how", "Twice"), ("outcome", "done"), ("answered", Day(today)));
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        Assert.Equal("Priya Officer", Assert.Single(await factory.Services.GetRequiredService<IHandledSubmissions>().ListAsync(10, CancellationToken.None)).HandledBy);
        Assert.Null(await inbox.GetAsync(removed.Id, CancellationToken.None));
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"[9105] Staff asked from the console for submission {retried.Id}", StringComparison.Ordinal));
        Assert.Single(factory.Logs.Lines, l => l.Contains($"[3455] Submission {retried.Id}, set aside, is tried again", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"[9106] Staff removed submission {removed.Id}", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("@example.com", StringComparison.Ordinal) || l.Contains("<b>Ann", StringComparison.Ordinal) || l.Contains("Bo Removed", StringComparison.Ordinal)
            || l.Contains("PRIV-12", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotSignedIn_IsSentToSignIn_AndAKeptSubmissionNotSetAside_CannotBeRemovedFromThePage()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var waiting = new ReceivedSubmission("dr_0000000000000000000000a3", IntakeChannel.WebForm, factory.Clock.GetUtcNow(), new IntakeSubmission("erasure", "waiting@example.com", "Wai Ting", "UK", null, null));
        await inbox.AddAsync(waiting, CancellationToken.None);
        using var anonymous = ConsoleClient.Create(factory);

        using var page = await anonymous.GetAsync("/staff/set-aside");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/staff/signin", page.Headers.Location?.OriginalString, StringComparison.Ordinal);

        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);
        var empty = await client.GetStringAsync("/staff/set-aside");
        Assert.Contains("No request is set aside.", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("set aside, with the deadline running", await client.GetStringAsync("/staff"), StringComparison.Ordinal);

        // One waiting to be taken in as usual is not the page's to remove.
        using var remove = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{waiting.Id}/remove",
            ("handled", "yes"), ("how", "By hand"), ("outcome", "done"), ("answered", Day(DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime))));
        Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);
        Assert.NotNull(await inbox.GetAsync(waiting.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ATryAgainThatCannotStartAtOnce_StaysAsked_AndTheNextHourlyCheckStartsIt()
    {
        var unmarkable = new UnmarkableInbox();
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(), ConfigureServices = unmarkable.Wrap };
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var kept = await SetAsideAsync(factory, "dr_0000000000000000000000a4", "later@example.com", "Lee Later", factory.Clock.GetUtcNow() - TimeSpan.FromHours(2));
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);

        // The mark cannot be taken off (the store unreachable for a moment): nothing starts, the request stays asked for.
        unmarkable.Refuse = true;
        using var tryAgain = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{kept.Id}/try-again");
        Assert.Equal(HttpStatusCode.Redirect, tryAgain.StatusCode);
        Assert.Equal("/staff/set-aside?done=try-again-later", tryAgain.Headers.Location?.OriginalString);
        await factory.DrainAsync();
        Assert.True((await inbox.GetAsync(kept.Id, CancellationToken.None))?.SetAside?.TryAgain);
        Assert.Empty(factory.Outbox);
        var page = await client.GetStringAsync("/staff/set-aside?done=try-again-later");
        Assert.Contains("It could not be started just now. It will be tried again at the next hourly check", page, StringComparison.Ordinal);
        Assert.Contains("You asked for it to be tried again. It could not be started then", page, StringComparison.Ordinal);
        Assert.Single(factory.Logs.Lines, l => l.Contains($"[9107] Submission {kept.Id}, set aside, could not be tried again at once (IOException)", StringComparison.Ordinal));

        // The store back, the hourly check starts it.
        unmarkable.Refuse = false;
        await factory.Services.GetRequiredService<WorkflowCheckJob>().CheckAsync(CancellationToken.None);
        await factory.DrainAsync();
        Assert.Null(await inbox.GetAsync(kept.Id, CancellationToken.None));
        Assert.Single(factory.Outbox, m => m.To == "later@example.com");
    }

    [Fact]
    public async Task RequestsSetAside_CountInTheMetricsAsOpen_AndOnceHandledByHand_AsStaffRecordedThem_InTheCcpaFiguresToo()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry() };
        var now = factory.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var refusedInCalifornia = await SetAsideAsync(factory, "dr_0000000000000000000000a5", "ca@example.com", "Cal Aside", now - TimeSpan.FromDays(3), "erasure", "US-CA");
        var doneInTheUk = await SetAsideAsync(factory, "dr_0000000000000000000000a6", "uk@example.com", "Uk Aside", now - TimeSpan.FromDays(2));
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);
        var before = await client.GetStringAsync("/staff/metrics");

        using var refused = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{refusedInCalifornia.Id}/remove",
            ("handled", "yes"), ("how", "Refused by letter: not verifiable."), ("outcome", "refused"), ("answered", Day(today.AddDays(-1))));
        using var done = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{doneInTheUk.Id}/remove",
            ("handled", "yes"), ("how", "+ Sent the copy by email, ticket 7."), ("outcome", "done"), ("answered", Day(today)));
        var after = await client.GetStringAsync("/staff/metrics");
        var csv = (await client.GetStringAsync($"/staff/metrics/ccpa.csv?year={today.Year}")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var records = await client.GetAsync("/staff/set-aside/handled.csv");
        var recordLines = (await records.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var anonymous = await ConsoleClient.Create(factory).GetAsync("/staff/set-aside/handled.csv");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        // Set aside, they count as received and open, their deadlines running.
        Assert.Contains("2 requests received.", before, StringComparison.Ordinal);
        Assert.Contains("2 requests still open, 0 of them overdue now.", before, StringComparison.Ordinal);
        Assert.Contains("2 of them are received but set aside, not taken in, with the deadline running", before, StringComparison.Ordinal);
        Assert.DoesNotContain("received but set aside", after, StringComparison.Ordinal);
        Assert.Contains("2 requests received.", after, StringComparison.Ordinal);
        Assert.Contains("100% closed on time (2 of 2).", after, StringComparison.Ordinal);
        Assert.Contains("1 request rejected;", after, StringComparison.Ordinal);
        Assert.Contains("2 requests were set aside, not taken in, and handled by hand outside DataRights", after, StringComparison.Ordinal);
        Assert.DoesNotContain("handled by hand outside DataRights", before, StringComparison.Ordinal);
        // California's: received and denied, answered two days after its receipt.
        Assert.Contains($"{today.Year},Request to delete,1,0,1,2", csv);
        Assert.Contains($"{today.Year},Request to know,0,0,0,", csv);

        // Every record, the latest first, for an audit: a note a spreadsheet would run as a formula is quoted with an apostrophe.
        Assert.Equal("text/csv", records.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", records.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            "Received (UTC),Right,Where they are,Due,Set aside (UTC),Why it was set aside,What came of it,Answered on,Recorded (UTC),Recorded by,How it was handled",
            recordLines[0]);
        Assert.Equal(3, recordLines.Length);
        // Both recorded at the same moment here (the clock stands still): then by the request's id.
        Assert.StartsWith($"{Instant(refusedInCalifornia.ReceivedAt)},Erasure,\"California, USA\",", recordLines[1], StringComparison.Ordinal);
        Assert.EndsWith($",Refused,{Day(today.AddDays(-1))},{Instant(now)},Priya Officer,Refused by letter: not verifiable.", recordLines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{Instant(doneInTheUk.ReceivedAt)},Access,United Kingdom,", recordLines[2], StringComparison.Ordinal);
        Assert.EndsWith($",Done as they asked,{Day(today)},{Instant(now)},Priya Officer,\"'+ Sent the copy by email, ticket 7.\"", recordLines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", string.Join('\n', recordLines), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("href=\"/staff/set-aside/handled.csv\"", await client.GetStringAsync("/staff/set-aside"), StringComparison.Ordinal);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The inbox, except that taking a submission's set-aside mark off fails while <see cref="Refuse"/>.</summary>
    private sealed class UnmarkableInbox
    {
        public bool Refuse { get; set; }

        public void Wrap(IServiceCollection services)
        {
            var registered = services.Last(d => d.ServiceType == typeof(ISubmissionInbox));
            services.Add(ServiceDescriptor.Singleton<ISubmissionInbox>(sp => new Wrapped(this, (ISubmissionInbox)(registered.ImplementationFactory?.Invoke(sp) ?? registered.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)))));
        }

        private sealed class Wrapped(UnmarkableInbox owner, ISubmissionInbox inner) : ISubmissionInbox
        {
            public Task AddAsync(ReceivedSubmission submission, CancellationToken cancellationToken) => inner.AddAsync(submission, cancellationToken);

            public Task<ReceivedSubmission?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

            public Task RemoveAsync(string id, CancellationToken cancellationToken) => inner.RemoveAsync(id, cancellationToken);

            public Task<IReadOnlyList<ReceivedSubmission>> ListAsync(DateTimeOffset receivedBefore, int max, CancellationToken cancellationToken) =>
                inner.ListAsync(receivedBefore, max, cancellationToken);

            public Task<bool> MarkAsync(string id, SubmissionSetAside? setAside, CancellationToken cancellationToken) =>
                setAside is null && owner.Refuse ? throw new IOException("The store cannot be reached.") : inner.MarkAsync(id, setAside, cancellationToken);

            public Task<IReadOnlyList<ReceivedSubmission>> ListSetAsideAsync(int max, CancellationToken cancellationToken) => inner.ListSetAsideAsync(max, cancellationToken);
        }
    }

    /// <summary>A submission kept and set aside after 3 stops, with its note of them, as the hourly check leaves it.</summary>
    private static async Task<ReceivedSubmission> SetAsideAsync(DataRightsFactory factory, string id, string email, string name, DateTimeOffset at, string type = "access", string jurisdiction = "UK")
    {
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var kept = new ReceivedSubmission(id, IntakeChannel.WebForm, at, new IntakeSubmission(type, email, name, jurisdiction, null, "Everything you hold"));
        await inbox.AddAsync(kept, CancellationToken.None);
        for (var run = 1; run <= 3; run++)
        {
            new StepNotes(HostNotes(factory).Folder, stopsAllowed: 3, NullLogger.Instance).Take(SubmissionTakeIns.StepOf(id));
        }

        Assert.True(await inbox.MarkAsync(id, new SubmissionSetAside(at + TimeSpan.FromHours(1), 3, TryAgain: false), CancellationToken.None));
        return kept;
    }

    /// <summary>The host's notes of the steps in progress (the folder earlier runs of the program wrote theirs in).</summary>
    private static StepNotes HostNotes(DataRightsFactory factory) => factory.Services.GetRequiredService<StepNotes>();

    private static string NoteOf(DataRightsFactory factory, string id) => HostNotes(factory).NoteOf(SubmissionTakeIns.StepOf(id));
}
