using DataRights.Core.Requests;
using static DataRights.Core.Requests.RequestStatus;

namespace DataRights.Core.Tests.Requests;

public sealed class RequestLifecycleTests
{
    // Written out by hand so that any change to the table in RequestLifecycle fails a test.
    private static readonly Dictionary<RequestStatus, RequestStatus[]> ExpectedNextStates = new()
    {
        [Received] = [AwaitingVerification, Verified, Rejected],
        [AwaitingVerification] = [Verified, Expired, Rejected],
        [Verified] = [Discovering, Rejected],
        [Discovering] = [AwaitingApproval, AwaitingVerification, Rejected, Failed],
        [AwaitingApproval] = [Executing, AwaitingInformation, Rejected],
        [AwaitingInformation] = [AwaitingApproval, Discovering, Rejected],
        [Executing] = [Completed, Failed],
        [Failed] = [Discovering, AwaitingApproval, Executing, Rejected],
        [Completed] = [],
        [Rejected] = [],
        [Expired] = [],
    };

    public static TheoryData<RequestStatus, RequestStatus> AllowedPairs() => Pairs(allowed: true);

    public static TheoryData<RequestStatus, RequestStatus> IllegalPairs() => Pairs(allowed: false);

    public static TheoryData<RequestStatus> AllStatuses() => [.. Enum.GetValues<RequestStatus>()];

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void EveryStatus_HasAPhraseInWords_NotItsKey(RequestStatus status)
    {
        var phrase = RequestLifecycle.Phrase(status);

        Assert.Matches("^[a-z][a-z ,']+[a-z]$", phrase);
        Assert.DoesNotContain("awaiting", phrase, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void NextStates_EveryStatus_MatchesExpectedTable(RequestStatus from)
    {
        Assert.True(ExpectedNextStates.ContainsKey(from), $"The expected table has no row for {from}.");
        Assert.Equal(ExpectedNextStates[from].Order(), RequestLifecycle.NextStates(from).Order());
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void EnsureCanMove_AllowedTransition_DoesNotThrow(RequestStatus from, RequestStatus to)
    {
        Assert.True(RequestLifecycle.CanMove(from, to));
        RequestLifecycle.EnsureCanMove(from, to);
    }

    [Theory]
    [MemberData(nameof(IllegalPairs))]
    public void EnsureCanMove_IllegalTransition_ThrowsWithFromAndTo(RequestStatus from, RequestStatus to)
    {
        Assert.False(RequestLifecycle.CanMove(from, to));
        var exception = Assert.Throws<IllegalTransitionException>(() => RequestLifecycle.EnsureCanMove(from, to));
        Assert.Equal(from, exception.From);
        Assert.Equal(to, exception.To);
    }

    [Theory]
    [InlineData(Received, Completed)]
    [InlineData(Received, Executing)]
    [InlineData(AwaitingVerification, Discovering)]
    [InlineData(Expired, Verified)]
    [InlineData(Rejected, Executing)]
    [InlineData(Completed, Received)]
    [InlineData(Executing, Rejected)]
    [InlineData(Verified, Verified)]
    public void EnsureCanMove_KnownIllegalTransition_ThrowsIllegalTransition(RequestStatus from, RequestStatus to)
    {
        var exception = Assert.Throws<IllegalTransitionException>(() => RequestLifecycle.EnsureCanMove(from, to));
        Assert.Equal(from, exception.From);
        Assert.Equal(to, exception.To);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void EnsureCanMove_FromCompleted_ThrowsForEveryTarget(RequestStatus to)
    {
        Assert.Throws<IllegalTransitionException>(() => RequestLifecycle.EnsureCanMove(Completed, to));
    }

    [Fact]
    public void EnsureCanMove_IllegalTransition_MessageUsesWireNames()
    {
        var exception = Assert.Throws<IllegalTransitionException>(() => RequestLifecycle.EnsureCanMove(AwaitingVerification, Completed));
        Assert.Equal("A request cannot move from 'awaiting_verification' to 'completed'.", exception.Message);
    }

    [Fact]
    public void IsFinal_AllStatuses_TrueExactlyForCompletedRejectedExpired()
    {
        var final = Enum.GetValues<RequestStatus>().Where(RequestLifecycle.IsFinal).Order();
        Assert.Equal([Completed, Rejected, Expired], final);
    }

    [Fact]
    public void IsFinal_Failed_IsFalseBecauseStaffCanRetry()
    {
        Assert.False(RequestLifecycle.IsFinal(Failed));
        Assert.NotEmpty(RequestLifecycle.NextStates(Failed));
    }

    private static TheoryData<RequestStatus, RequestStatus> Pairs(bool allowed)
    {
        var data = new TheoryData<RequestStatus, RequestStatus>();
        foreach (var from in Enum.GetValues<RequestStatus>())
        {
            foreach (var to in Enum.GetValues<RequestStatus>())
            {
                // A status missing from the expected table counts as "no moves allowed", and the
                // NextStates test above fails for it.
                var isAllowed = ExpectedNextStates.TryGetValue(from, out var next) && next.Contains(to);
                if (isAllowed == allowed)
                {
                    data.Add(from, to);
                }
            }
        }

        return data;
    }
}
