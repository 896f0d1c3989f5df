using System.Diagnostics;
using DataRights.Core.Email;
using DataRights.Core.Workflow;
using DataRights.Host.Email;

namespace DataRights.Integration.Tests.Email;

/// <summary>
/// A job's send that finds another run sending the same message right now (<see cref="EmailSendInProgressException"/>)
/// waits for that run's hold and asks once more (<see cref="HeldSends"/>): the job neither fails nor sends twice.
/// </summary>
public sealed class HeldSendsTests
{
    private static readonly EmailMessage Digest = new("digest:202612070800", "", "privacy@example.com", "Requests due soon", "Two are due.", "<p>Two are due.</p>", [], MessageKind.StaffDigest);

    [Fact]
    public async Task HeldByARunThatSendsIt_WaitsForTheHold_ThenFindsItSent_AndSendsNothing()
    {
        var sender = new HeldSender(TimeSpan.FromMilliseconds(400), otherRunSends: true);
        var watch = Stopwatch.StartNew();

        var result = await sender.SendWaitingForAnyHoldAsync(Digest, TimeProvider.System, CancellationToken.None);

        Assert.True(result.AlreadySent);
        Assert.Equal((2, 0), (sender.Asked, sender.SentHere));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), $"asked again after {watch.Elapsed.TotalMilliseconds:0} ms, before the hold ended");
    }

    [Fact]
    public async Task HeldByARunThatLetItGo_SendsIt_OnceTheHoldHasEnded()
    {
        var sender = new HeldSender(TimeSpan.FromMilliseconds(200), otherRunSends: false);

        var result = await sender.SendWaitingForAnyHoldAsync(Digest, TimeProvider.System, CancellationToken.None);

        Assert.False(result.AlreadySent);
        Assert.Equal((2, 1), (sender.Asked, sender.SentHere));
    }

    [Fact]
    public async Task HeldStillAfterTheWait_Throws_AsASendThatCannotBeMadeNow()
    {
        // The other run took the message over again (its hold extended): this run gives the job's failure, having sent nothing.
        var sender = new HeldSender(TimeSpan.FromMilliseconds(100), otherRunSends: false) { HeldAgain = true };

        await Assert.ThrowsAsync<EmailSendInProgressException>(() => sender.SendWaitingForAnyHoldAsync(Digest, TimeProvider.System, CancellationToken.None));

        Assert.Equal((2, 0), (sender.Asked, sender.SentHere));
    }

    [Fact]
    public async Task NotHeld_SendsAtOnce()
    {
        var sender = new HeldSender(TimeSpan.Zero, otherRunSends: false);

        var result = await sender.SendWaitingForAnyHoldAsync(Digest, TimeProvider.System, CancellationToken.None);

        Assert.Equal((false, 1, 1), (result.AlreadySent, sender.Asked, sender.SentHere));
    }

    /// <summary>A sender whose message another run holds for <c>hold</c> from now, then has sent or let go.</summary>
    private sealed class HeldSender(TimeSpan hold, bool otherRunSends) : IEmailSender
    {
        private readonly DateTimeOffset _heldUntil = TimeProvider.System.GetUtcNow() + hold;

        public bool HeldAgain { get; init; }

        public int Asked { get; private set; }

        public int SentHere { get; private set; }

        public Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Asked++;
            var now = TimeProvider.System.GetUtcNow();
            if (now < _heldUntil || (HeldAgain && Asked > 1))
            {
                throw new EmailSendInProgressException(message.Id, HeldAgain && Asked > 1 ? now + hold : _heldUntil);
            }

            if (otherRunSends)
            {
                return Task.FromResult(new EmailSendResult(AlreadySent: true, "sg-1"));
            }

            SentHere++;
            return Task.FromResult(new EmailSendResult(AlreadySent: false, "sg-2"));
        }
    }
}
