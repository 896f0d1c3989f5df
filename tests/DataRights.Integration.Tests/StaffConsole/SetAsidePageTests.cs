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
/// handled it by hand; and nothing for anyone not signed in.
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

        // Removing without confirming changes nothing.
        using var unconfirmed = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove");
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("Confirm that you have handled this request by hand", await unconfirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await inbox.GetAsync(removed.Id, CancellationToken.None));

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

        using var confirmed = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/remove", ("handled", "yes"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Null(await inbox.GetAsync(removed.Id, CancellationToken.None));
        Assert.False(File.Exists(NoteOf(factory, removed.Id)));

        // Once gone, both forms answer "not found" and change nothing.
        using var again = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{removed.Id}/try-again");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Null(await inbox.GetAsync(removed.Id, CancellationToken.None));
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"[9105] Staff asked from the console for submission {retried.Id}", StringComparison.Ordinal));
        Assert.Single(factory.Logs.Lines, l => l.Contains($"[3455] Submission {retried.Id}, set aside, is tried again", StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Lines, l => l.Contains($"[9106] Staff removed submission {removed.Id}", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("@example.com", StringComparison.Ordinal) || l.Contains("<b>Ann", StringComparison.Ordinal) || l.Contains("Bo Removed", StringComparison.Ordinal));
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
        using var remove = await ConsoleClient.PostFormAsync(client, "/staff/set-aside", $"/staff/set-aside/{waiting.Id}/remove", ("handled", "yes"));
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
    private static async Task<ReceivedSubmission> SetAsideAsync(DataRightsFactory factory, string id, string email, string name, DateTimeOffset at)
    {
        var inbox = factory.Services.GetRequiredService<ISubmissionInbox>();
        var kept = new ReceivedSubmission(id, IntakeChannel.WebForm, at, new IntakeSubmission("access", email, name, "UK", null, "Everything you hold"));
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
