using System.Globalization;
using System.Net;
using System.Text.Json;
using DataRights.Core.Deadlines;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Host.Durable;
using DataRights.Host.Pages;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Integration.Tests.Workflow;
using DataRights.Testing;
using DataRights.Testing.Azurite;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Durable.DurableJourneyTests;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Durable;

/// <summary>
/// The workflow's other paths through HTTP as people use them, on the local task hub over Azurite and the real clock,
/// with workflow timings of seconds: the outcomes the fake-clock tests assert, with exact counts of emails and source
/// calls so that nothing runs twice.
/// </summary>
public sealed class DurablePathTests
{
    private const string Person = "jane.doe@example.com";
    private const string Approver = "approver@example.com";

    [Fact]
    public async Task Unverified_IsRemindedThenExpires_ClosedWithNothingDiscovered()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 2);
        using var factory = DurableFactory(azurite, Timings(("VerificationReminderAfter", "00:00:03"), ("VerificationExpiresAfter", "00:00:20")), crm);
        using var client = factory.CreateClient();

        var id = await SubmitAsync(client, factory.Services, Person);
        await MailAsync(factory, Subject("We have closed your request"));
        await StepAsync(factory, id, "expired");

        Assert.Equal("expired", await StatusAsync(client, id));
        // Expiry ignores a reminder that comes after it, so the reminder having been sent shows the order.
        Assert.Equal(
            ["jane.doe@example.com: Please confirm your request", "jane.doe@example.com: Reminder: please confirm your request", "jane.doe@example.com: We have closed your request"],
            Mail(factory));
        Assert.Equal(0, crm.DiscoverCalls);
        Assert.Equal(0, crm.ExecuteCalls);
        Assert.Equal(2, crm.RecordsOf(Person));
        // The link itself is still valid (it lasts longer than the request waited): the page says the request is closed.
        var page = await client.GetStringAsync(factory.Outbox.Single(Subject("Reminder")).PathOfLink("/verify/"));
        Assert.Contains("This link no longer applies. Nothing was changed.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Yes, this is my request", page, StringComparison.Ordinal);
        // Nothing is left for the orchestration to do: it has finished, and staff read so.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, await RuntimeStatusAsync(factory, id));
        Assert.Equal("Finished: the request is closed and nothing is left to do.", (await WorkflowCheckTests.WorkflowAsync(client, id)).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Rejection_OnTheApprovalPage_TellsThePersonAndErasesNothing()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 3);
        using var factory = DurableFactory(azurite, crm);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var approval = await MailAsync(factory, m => m.To == Approver);

        await FollowAsync(client, approval.PathOfLink("/approve/"), "Reject the request", ("decision", "reject"), ("reason", "excessive"), ("note", "Third identical request this month."));
        var rejection = await MailAsync(factory, Subject("We could not carry out"));
        await StepAsync(factory, id, "rejected");

        Assert.Equal("rejected", await StatusAsync(client, id));
        Assert.Equal(Person, rejection.To);
        Assert.Contains("Third identical request this month.", rejection.Text, StringComparison.Ordinal);
        Assert.Contains("ico.org.uk", rejection.Text, StringComparison.Ordinal);
        Assert.Equal(
            ["approver@example.com: Approval needed for", "jane.doe@example.com: Please confirm your request", "jane.doe@example.com: We could not carry out your request"],
            Mail(factory));
        Assert.Equal(1, crm.DiscoverCalls);
        Assert.Equal(0, crm.ExecuteCalls);
        Assert.Equal(3, crm.RecordsOf(Person));
        using var again = await StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { note = "too late" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task AskForInformation_OnARequestForAccess_PausesTheUkClockUntilThePersonAnswers_ThenApprovalAgain()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 3);
        // The pause must span whole days to move the due date: the host's clock starts seven days behind the real
        // one (at midnight) and catches up while the request waits for the answer. Every timer of this journey is
        // further off than that, so no durable timer fires early.
        var start = TimeProvider.System.GetUtcNow();
        var today = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        var clock = new ShiftedClock(today.AddDays(-7) - start);
        using var factory = DurableFactory(
            azurite,
            Timings(
                ("VerificationReminderAfter", "10.00:00:00"), ("VerificationExpiresAfter", "14.00:00:00"), ("ApprovalReminderAfter", "10.00:00:00"), ("ApprovalEscalationAfter", "20.00:00:00"),
                ("InformationReminderAfter", "10.00:00:00"), ("InformationUnansweredAfter", "20.00:00:00")),
            crm);
        factory.ConfigureServices = services => services.AddSingleton<TimeProvider>(clock);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client, "access");
        var roundOne = await MailAsync(factory, m => m.To == Approver);
        var dueBefore = await DueAsync(client, id);

        await FollowAsync(client, roundOne.PathOfLink("/approve/"), "Send question", ("decision", "ask"), ("question", "Which account do you mean?"));
        var question = await MailAsync(factory, Subject("We need more information"));
        await StepAsync(factory, id, "awaiting-information");
        Assert.True(await ClockPausedAsync(client, id));
        Assert.Contains("Which account do you mean?", question.Text, StringComparison.Ordinal);
        Assert.Contains("paused until you reply", question.Text, StringComparison.Ordinal);

        clock.Offset = today - start;
        await FollowAsync(client, question.PathOfLink("/information/"), "Send my answer", ("answer", "The one ending 1001."));
        var roundTwo = await MailAsync(factory, m => m.To == Approver && m.Text.Contains("The one ending 1001.", StringComparison.Ordinal));
        Assert.Contains("You asked the requester: \"Which account do you mean?\" They answered: \"The one ending 1001.\"", roundTwo.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        using (var status = await client.GetAsync("/api" + (await MailAsync(factory, Subject("Please confirm"))).PathOfLink("/status/")))
        {
            // The person's status page tells the move back to review as their answer received, not as a first review.
            Assert.Equal(
                ["We asked you for more information.", "We received your answer, and our privacy team started reviewing your request again."],
                (await status.JsonAsync()).GetProperty("history").EnumerateArray().Select(e => e.GetProperty("text").GetString()).TakeLast(2));
        }

        // Received seven days ago, the clock stood still from that day until today: due as if received today.
        var uk = factory.Services.GetRequiredService<DeadlineRegimes>().For(Jurisdiction.UK);
        var calculator = factory.Services.GetRequiredService<DeadlineCalculator>();
        var dueAfter = await DueAsync(client, id);
        Assert.Equal(calculator.DueFrom(uk, DateOnly.FromDateTime(today.AddDays(-7).UtcDateTime)), dueBefore);
        Assert.Equal(calculator.DueFrom(uk, DateOnly.FromDateTime(today.UtcDateTime)), dueAfter);
        Assert.True(dueAfter > dueBefore);
        Assert.Contains(dueAfter.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB")), roundTwo.Subject, StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        Assert.False(await ClockPausedAsync(client, id));

        await FollowAsync(client, roundTwo.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await MailAsync(factory, Subject("Your data is ready"));
        await StepAsync(factory, id, "completed");

        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(3, crm.RecordsOf(Person));
        Assert.Equal(1, crm.DiscoverCalls); // the search: the answer asks for no new search
        Assert.Equal(
            [
                "approver@example.com: Approval needed for", "approver@example.com: Approval needed for",
                "jane.doe@example.com: Please confirm your request", "jane.doe@example.com: We need more information about your request",
            ],
            Mail(factory).SkipLast(1));
        Assert.StartsWith("jane.doe@example.com: Your data is ready", Mail(factory)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnansweredQuestion_RemindsThePerson_ThenTellsThePrivacyTeam_AndTheAnswerStillComesBackToApproval()
    {
        // Every wait for a person has a timer: a question the person leaves unanswered is followed by a reminder to them,
        // then a notice to the privacy team; the request keeps waiting for the answer, which still takes it on.
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 1);
        using var factory = DurableFactory(azurite, Timings(("InformationReminderAfter", "00:00:03"), ("InformationUnansweredAfter", "00:00:08")), crm);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var roundOne = await MailAsync(factory, m => m.To == Approver);

        await FollowAsync(client, roundOne.PathOfLink("/approve/"), "Send question", ("decision", "ask"), ("question", "Which account do you mean?"));
        var reminder = await MailAsync(factory, Subject("Reminder: we still need your answer"));
        var notice = await MailAsync(factory, Subject("No answer yet"));
        await StepAsync(factory, id, "awaiting-information");

        Assert.Equal(Person, reminder.To);
        Assert.Contains("Which account do you mean?", reminder.Text, StringComparison.Ordinal);
        Assert.Contains("Which account do you mean?", notice.Text, StringComparison.Ordinal);
        Assert.NotEqual(Person, notice.To);
        Assert.Equal(
            ["information.requested", "information.reminded", "information.unanswered"],
            (await AuditActionsAsync(client, id)).Where(a => a.StartsWith("information.", StringComparison.Ordinal)));

        await FollowAsync(client, reminder.PathOfLink("/information/"), "Send my answer", ("answer", "The one ending 1001."));
        var roundTwo = await MailAsync(factory, m => m.To == Approver && m.Text.Contains("The one ending 1001.", StringComparison.Ordinal));
        await FollowAsync(client, roundTwo.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await MailAsync(factory, Subject("Your request"));
        await StepAsync(factory, id, "completed");

        Assert.Equal(0, crm.RecordsOf(Person));
        Assert.Single(factory.Outbox, m => m.Subject.StartsWith("Reminder: we still need your answer", StringComparison.Ordinal));
        Assert.Single(factory.Outbox, m => m.Subject.StartsWith("No answer yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Extension_ByStaff_MovesTheDueDateAndTellsThePerson()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        using var factory = DurableFactory(azurite, crm);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        await MailAsync(factory, m => m.To == Approver);
        var dueBefore = await DueAsync(client, id);

        using var response = await StaffPostAsync(client, $"/api/admin/requests/{id}/extend", new { reason = "Your data is spread over many archived systems." });
        var notice = await MailAsync(factory, Subject("We need more time"));
        await StepAsync(factory, id, "awaiting-approval");

        // The UK's one extension: two further months from the due date, on a working day.
        var uk = factory.Services.GetRequiredService<DeadlineRegimes>().For(Jurisdiction.UK);
        var extended = factory.Services.GetRequiredService<DeadlineCalculator>().Extend(uk, dueBefore);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(extended.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (await response.JsonAsync()).GetProperty("dueDate").GetString());
        Assert.Equal(extended, await DueAsync(client, id));
        Assert.Equal(Person, notice.To);
        Assert.Contains(RequestTexts.LongDate(extended), notice.Text, StringComparison.Ordinal);
        Assert.Contains("Your data is spread over many archived systems.", notice.Text, StringComparison.Ordinal);
        using var twice = await StaffPostAsync(client, $"/api/admin/requests/{id}/extend", new { reason = "Again." });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        await StepAsync(factory, id, "awaiting-approval");

        // The orchestration lets go of the earlier date's deadline reminders and overdue notice (they could no longer do
        // anything) and waits for the new date's: timers of its own, with no work item in the store.
        string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static List<string> Deadline(RequestRunStatus s) => [.. s.Timers.Where(t => t.StartsWith("deadline-reminder:", StringComparison.Ordinal) || t.StartsWith("overdue:", StringComparison.Ordinal))];
        var status = await DurableJourneyTests.StepAsync(factory, id, "awaiting-approval", until: s => Deadline(s).Count > 0 && Deadline(s).All(t => t.EndsWith("@" + Date(extended), StringComparison.Ordinal)));
        Assert.Contains("overdue:@" + Date(extended), Deadline(status));
        Assert.Equal(["approval-reminder:1", "approval-escalation:1"], status.Timers.Except(Deadline(status)));
        var store = factory.Services.GetRequiredService<IRequestStore>();
        Assert.DoesNotContain((await store.GetWithOpenWorkAsync(id, CancellationToken.None))!.OpenWork, w => w.Id.Contains(":timer:deadline-reminder:", StringComparison.Ordinal) || w.Id.Contains(":timer:overdue:", StringComparison.Ordinal));
        Assert.Equal(
            ["approver@example.com: Approval needed for", "jane.doe@example.com: Please confirm your request", "jane.doe@example.com: We need more time for your request"],
            Mail(factory));
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
    }

    [Fact]
    public async Task SourceFailingOnce_IsRetriedByThePolicy_AndTheRequestCompletesWithItsRecordsDeleted()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM") { FailDiscoveries = 1, FailExecutions = 1 };
        crm.Add(Person, 3);
        using var factory = DurableFactory(azurite, crm);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var approval = await MailAsync(factory, m => m.To == Approver);
        Assert.Contains("CRM: 3 records", approval.Text, StringComparison.Ordinal);

        await FollowAsync(client, approval.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        var completion = await MailAsync(factory, Subject("Your request"));
        await StepAsync(factory, id, "completed");

        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Contains("CRM: deleted 3 records", completion.Text, StringComparison.Ordinal);
        Assert.Equal(0, crm.RecordsOf(Person));
        Assert.Equal(3, crm.DiscoverCalls); // a failed search, the search again, and the re-check after erasure
        Assert.Equal(2, crm.ExecuteCalls); // a failed erasure and the erasure again
        Assert.Equal(0, (await RequestAsync(client, id)).GetProperty("progress").GetProperty("alerts").GetArrayLength());
        Assert.Equal( // and no alert to staff
            ["approver@example.com: Approval needed for", "jane.doe@example.com: Please confirm your request", "jane.doe@example.com: Your request"],
            Mail(factory));
    }

    [Fact]
    public async Task UndecidedApproval_IsRemindedThenEscalatedToTheFallbackApprover_WhoDecides()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 1);
        using var factory = DurableFactory(azurite, Timings(("ApprovalReminderAfter", "00:00:03"), ("ApprovalEscalationAfter", "00:00:20")), crm);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);

        var escalation = await MailAsync(factory, Subject("Escalated: approval needed"));
        await StepAsync(factory, id, "awaiting-approval");

        Assert.Equal("dpo@example.com", escalation.To);
        Assert.Equal(
            [
                "approver@example.com: Approval needed for", "approver@example.com: Reminder: approval needed for",
                "dpo@example.com: Escalated: approval needed for", "jane.doe@example.com: Please confirm your request",
            ],
            Mail(factory));
        Assert.Equal(
            ["approval.requested", "approval.reminded", "approval.escalated"],
            (await AuditActionsAsync(client, id)).Where(a => a.StartsWith("approval.", StringComparison.Ordinal)));

        await FollowAsync(client, escalation.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await MailAsync(factory, Subject("Your request"));
        await StepAsync(factory, id, "completed");

        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(0, crm.RecordsOf(Person));
        Assert.Equal(1, crm.ExecuteCalls);
        Assert.Equal(
            [
                "approver@example.com: Approval needed for", "approver@example.com: Reminder: approval needed for",
                "dpo@example.com: Escalated: approval needed for", "jane.doe@example.com: Please confirm your request", "jane.doe@example.com: Your request",
            ],
            Mail(factory));
    }

    [Fact]
    public async Task TwoApprovers_LinkFromTheEarlierRound_IsRefusedAndChangesNothing_TheCurrentRoundDecides()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Person, 2);
        using var factory = DurableFactory(azurite, Timings(("Approvers:0", "a@example.com"), ("Approvers:1", "b@example.com")), crm);
        using var client = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, client);
        var linkA = (await MailAsync(factory, m => m.To == "a@example.com")).PathOfLink("/approve/");
        var linkB = (await MailAsync(factory, m => m.To == "b@example.com")).PathOfLink("/approve/");
        var pageB = await client.GetStringAsync(linkB);
        Assert.Contains("Approve and carry out", pageB, StringComparison.Ordinal);

        await FollowAsync(client, linkA, "Send question", ("decision", "ask"), ("question", "Which account do you mean?"));
        var question = await MailAsync(factory, Subject("We need more information"));
        await FollowAsync(client, question.PathOfLink("/information/"), "Send my answer", ("answer", "The one ending 1001."));
        var roundTwo = await MailAsync(factory, m => m.To == "b@example.com" && m.Text.Contains("The one ending 1001.", StringComparison.Ordinal));
        await MailAsync(factory, m => m.To == "a@example.com" && m.Text.Contains("The one ending 1001.", StringComparison.Ordinal));
        await StepAsync(factory, id, "awaiting-approval");
        var audit = (await AuditActionsAsync(client, id)).Count;

        using var stale = await client.PostAsync(linkB, new FormUrlEncodedContent([new("decision", "approve"), new("__csrf", Forms.CsrfToken(pageB))]));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("earlier round", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        Assert.Equal(audit, (await AuditActionsAsync(client, id)).Count);
        Assert.DoesNotContain("Approve and carry out", await client.GetStringAsync(linkB), StringComparison.Ordinal);
        Assert.Equal(0, crm.ExecuteCalls);

        await FollowAsync(client, roundTwo.PathOfLink("/approve/"), "Approve and carry out", ("decision", "approve"));
        await MailAsync(factory, Subject("Your request"));
        await StepAsync(factory, id, "completed");

        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(0, crm.RecordsOf(Person));
        Assert.Equal(1, crm.ExecuteCalls);
        Assert.Equal(2, crm.DiscoverCalls);
        Assert.Equal(
            [
                "a@example.com: Approval needed for", "a@example.com: Approval needed for", "b@example.com: Approval needed for", "b@example.com: Approval needed for",
                "jane.doe@example.com: Please confirm your request", "jane.doe@example.com: We need more information about your request", "jane.doe@example.com: Your request",
            ],
            Mail(factory));
    }

    /// <summary>Submits a request and confirms it from the verification email, once it arrives.</summary>
    private static async Task<string> SubmitAndVerifyAsync(DataRightsFactory factory, HttpClient client, string type = "erasure")
    {
        string id;
        using (var submitted = await client.PostJsonAsync(Submissions.Valid(Person, type)))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            id = await factory.Services.WaitingIdAsync(Person);
        }

        var verification = await MailAsync(factory, Subject("Please confirm"));
        await FollowAsync(client, verification.PathOfLink("/verify/"), "Yes, this is my request");
        return id;
    }

    /// <summary>Workflow settings (names under <c>DataRights:Workflow</c>).</summary>
    internal static Dictionary<string, string?> Timings(params (string Name, string Value)[] settings) =>
        settings.ToDictionary(s => "DataRights:Workflow:" + s.Name, s => (string?)s.Value, StringComparer.Ordinal);

    internal static Func<OutboxMessage, bool> Subject(string start) => m => m.Subject.StartsWith(start, StringComparison.Ordinal);

    /// <summary>Every email sent, as "to: subject up to the reference", sorted (the outbox keeps no order).</summary>
    private static List<string> Mail(DataRightsFactory factory) =>
        [.. factory.Outbox.Select(m => $"{m.To}: {(m.Subject.IndexOf(" DR-", StringComparison.Ordinal) is var end and > 0 ? m.Subject[..end] : m.Subject)}").Order(StringComparer.Ordinal)];

    private static async Task<JsonElement> RequestAsync(HttpClient client, string id)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}");
        using var response = await client.SendAsync(request);
        return await response.JsonAsync();
    }

    private static async Task<DateOnly> DueAsync(HttpClient client, string id) =>
        DateOnly.ParseExact((await RequestAsync(client, id)).GetProperty("dueDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<bool> ClockPausedAsync(HttpClient client, string id)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, "/api/admin/requests");
        using var response = await client.SendAsync(request);
        return (await response.JsonAsync()).GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id).GetProperty("clockPaused").GetBoolean();
    }

    private static async Task<List<string>> AuditActionsAsync(HttpClient client, string id)
    {
        using var request = WorkflowEndToEndTests.Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        using var response = await client.SendAsync(request);
        return [.. (await response.JsonAsync()).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];
    }

    private static async Task<OrchestrationRuntimeStatus?> RuntimeStatusAsync(DataRightsFactory factory, string id) =>
        (await factory.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(RequestOrchestrator.InstanceId(id)))?.RuntimeStatus;

    /// <summary>The real clock moved by an offset a test may change while nothing runs (the orchestrations' timers stay on the real clock).</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public TimeSpan Offset { get; set; } = offset;

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
    }
}
