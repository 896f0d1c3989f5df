using DataRights.Core.Deadlines;
using DataRights.Core.Metrics;
using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Sources;
using DataRights.Core.Tests.Workflow;
using DataRights.Core.Verification;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Metrics;

public sealed class RequestFiguresTests
{
    private static readonly DateTimeOffset ClosedAt = TestRequests.Instant("2026-09-10T12:00:00Z");

    private static DataSubjectRequest Completed(params RetainedRecords[] retained) =>
        TestRequests.Received() with
        {
            Status = RequestStatus.Completed,
            Progress = RequestProgress.Empty with
            {
                Sources =
                [
                    new SourceProgress
                    {
                        Key = "crm", DisplayName = "CRM", Access = SourceAccess.ReadWrite, Execution = StepState.Succeeded,
                        Outcome = new ExecutionOutcome(3, 0, 0, 0, retained),
                    },
                ],
            },
        };

    [Fact]
    public void Of_CompletedWithNothingKeptBack_IsCompletedInWhole() =>
        Assert.False(RequestFigures.Of(Completed(), ClosedAt).CompletedInPart);

    [Fact]
    public void Of_CompletedWithRecordsKeptBack_IsCompletedInPart() =>
        Assert.True(RequestFigures.Of(Completed(new RetainedRecords("invoices", 2, "UK GDPR Art. 17(3)(b)", null)), ClosedAt).CompletedInPart);

    [Fact]
    public void Of_AnsweredWithCategoriesOnly_IsCompletedInPart()
    {
        var request = Completed() with { Progress = Completed().Progress with { Identity = new IdentityCheck { Outcome = IdentityCheckOutcome.Categories } } };

        Assert.True(RequestFigures.Of(request, ClosedAt).CompletedInPart);
    }

    [Fact]
    public void Of_OpenRequest_HasNoClosingTimeOrRejection_AndSaysWhenItsClockIsStoppedOrExtended()
    {
        var received = TestRequests.Received();
        var open = received with
        {
            Status = RequestStatus.AwaitingInformation,
            Progress = received.Progress with
            {
                Rejection = RejectionReason.Other,
                Pauses = [new ClockPause(TestRequests.Date("2026-09-03"), null, "clarification")],
                Extension = new ClockExtension(ClosedAt, "staff:a", "Complex.", TestRequests.Date("2026-12-01")),
            },
        };

        var figures = RequestFigures.Of(open, ClosedAt);

        Assert.Equal((null, null, true, true, false), (figures.ClosedAt, figures.Rejection, figures.ClockStopped, figures.Extended, figures.CompletedInPart));
    }

    [Fact]
    public void Of_RejectedRequest_KeepsItsReasonAndClosingTime()
    {
        var received = TestRequests.Received();
        var rejected = received with { Status = RequestStatus.Rejected, Progress = received.Progress with { Rejection = RejectionReason.Excessive } };

        var figures = RequestFigures.Of(rejected, ClosedAt);

        Assert.Equal((RejectionReason.Excessive, ClosedAt), (figures.Rejection, figures.ClosedAt));
    }

    private static readonly DateTimeOffset Arrived = TestRequests.Instant("2026-09-01T09:30:00Z");

    private static HandledSubmission Handled(HandledOutcome outcome, string? type = "erasure", string? jurisdiction = "UK") => new(
        "dr_handled", Arrived, type, jurisdiction, null, new SubmissionSetAside(Arrived.AddHours(2), 3, TryAgain: false), TestRequests.Instant("2026-09-20T16:00:00Z"),
        "Priya Officer", "By post.", outcome, TestRequests.Date("2026-09-18"));

    private static RequestFigures? OfHandled(HandledSubmission handled) =>
        RequestFigures.OfHandled(handled, DeadlineRegimes.Default, new DeadlineCalculator(HolidayCalendars.Default));

    [Theory]
    [InlineData(HandledOutcome.Done, RequestStatus.Completed, false, null)]
    [InlineData(HandledOutcome.DoneInPart, RequestStatus.Completed, true, null)]
    [InlineData(HandledOutcome.Refused, RequestStatus.Rejected, false, RejectionReason.Other)]
    [InlineData(HandledOutcome.Withdrawn, RequestStatus.Rejected, false, RejectionReason.Withdrawn)]
    public void OfHandled_ClosesOnTheDayStaffAnswered_AsWhatTheySayCameOfIt(HandledOutcome outcome, RequestStatus status, bool inPart, RejectionReason? rejection)
    {
        var figures = OfHandled(Handled(outcome));

        Assert.NotNull(figures);
        Assert.Equal((RequestType.Erasure, Jurisdiction.UK, status, inPart, rejection), (figures.Type, figures.Jurisdiction, figures.Status, figures.CompletedInPart, figures.Rejection));
        Assert.Equal((TestRequests.Date("2026-09-01"), TestRequests.Date("2026-10-01")), (figures.ReceivedOn, figures.DueOn));
        Assert.True(figures.HandledByHand);
        Assert.False(figures.Extended || figures.ClockStopped);
        // Closed on the day answered on the place's own calendar, wherever that is.
        foreach (var place in Enum.GetValues<Jurisdiction>())
        {
            Assert.Equal(TestRequests.Date("2026-09-18"), MetricsCalculator.ClosedOn(figures with { Jurisdiction = place }, DeadlineRegimes.Default));
        }
    }

    [Fact]
    public void OfHandled_ARightOrPlaceNotKnown_IsLeftOut()
    {
        Assert.Null(OfHandled(Handled(HandledOutcome.Done, type: "delete-everything")));
        Assert.Null(OfHandled(Handled(HandledOutcome.Done, jurisdiction: "Mars")));
        Assert.Equal(Jurisdiction.UsCa, OfHandled(Handled(HandledOutcome.Done, type: " Access ", jurisdiction: "us-ca"))?.Jurisdiction);
    }

    [Fact]
    public void OfSetAside_IsOpen_DueFromItsArrival_UnderTheDefaultPlaceWhenItNamedNone()
    {
        var calculator = new DeadlineCalculator(HolidayCalendars.Default);
        var received = new ReceivedSubmission("dr_aside", IntakeChannel.WebForm, Arrived, new IntakeSubmission("access", "a@example.com", "A", null, null, null))
        {
            SetAside = new SubmissionSetAside(Arrived.AddHours(2), 3, TryAgain: false),
        };

        var figures = RequestFigures.OfSetAside(received, "UK", DeadlineRegimes.Default, calculator);
        var inCalifornia = RequestFigures.OfSetAside(received with { Submission = received.Submission with { Jurisdiction = "US-CA" } }, "UK", DeadlineRegimes.Default, calculator);

        Assert.NotNull(figures);
        Assert.Equal((RequestType.Access, Jurisdiction.UK, RequestStatus.Received, (DateTimeOffset?)null), (figures.Type, figures.Jurisdiction, figures.Status, figures.ClosedAt));
        Assert.Equal((TestRequests.Date("2026-09-01"), TestRequests.Date("2026-10-01")), (figures.ReceivedOn, figures.DueOn));
        Assert.True(figures.SetAside);
        Assert.False(figures.HandledByHand);
        Assert.Equal((Jurisdiction.UsCa, TestRequests.Date("2026-10-16")), (inCalifornia?.Jurisdiction, inCalifornia?.DueOn));
        Assert.Null(RequestFigures.OfSetAside(received with { Submission = received.Submission with { Type = "nonsense" } }, "UK", DeadlineRegimes.Default, calculator));
    }
}
