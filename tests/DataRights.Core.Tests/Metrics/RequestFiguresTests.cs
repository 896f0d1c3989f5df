using DataRights.Core.Metrics;
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
}
