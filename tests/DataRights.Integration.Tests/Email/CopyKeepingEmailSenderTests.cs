using DataRights.Core.Email;
using DataRights.Core.Ports;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataRights.Integration.Tests.Email;

/// <summary>
/// The staff copy of a message sent: a copy that cannot be kept fails the step, whose retry finds the message sent and
/// keeps it then; unless the sender could not record the send either, when a retry would send it a second time.
/// </summary>
public sealed class CopyKeepingEmailSenderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACopyThatCannotBeKept_FailsTheSend_OnlyWhenTheSendWasRecorded(bool notRecorded)
    {
        var inner = new SendingOnce(notRecorded);
        var sender = new CopyKeepingEmailSender(inner, new UnwritableCopies(), new FakeTimeProvider(DateTimeOffset.UnixEpoch), NullLogger<CopyKeepingEmailSender>.Instance);
        var message = new EmailMessage("dr_1:message:export-ready:1", "dr_1", "jane@example.com", "Your data is ready", "Download it.", "<p>Download it.</p>", [], MessageKind.ExportReady);

        if (notRecorded)
        {
            // Failing now would make the step run again, and with no record of the send it would go a second time, with a
            // second working link: the copy is given up instead.
            Assert.True((await sender.SendAsync(message, CancellationToken.None)).NotRecorded);
        }
        else
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync(message, CancellationToken.None));
        }

        Assert.Equal(1, inner.Sends);
    }

    private sealed class SendingOnce(bool notRecorded) : IEmailSender
    {
        public int Sends { get; private set; }

        public Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Sends++;
            return Task.FromResult(new EmailSendResult(AlreadySent: false, "sg-1") { NotRecorded = notRecorded });
        }
    }

    private sealed class UnwritableCopies : ISentEmailCopies
    {
        public Task<bool> KeepAsync(SentEmailCopy copy, CancellationToken cancellationToken) => throw new InvalidOperationException("The store cannot be reached.");

        public Task<IReadOnlyList<SentEmailCopy>> ListAsync(string requestId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SentEmailCopy>>([]);

        public Task<SentEmailCopy?> FindAsync(string requestId, string messageId, CancellationToken cancellationToken) => Task.FromResult<SentEmailCopy?>(null);
    }
}
