using DataRights.Email.SendGrid;
using DataRights.Host.Workflow;

namespace DataRights.Integration.Tests.Workflow;

/// <summary>
/// What a request's record keeps of a step that was given up: the exception's type and the attempts, never a message
/// that may quote a person's data, except the email sender's own refusals, whose text it writes with the recipient out.
/// </summary>
public sealed class WorkItemRunnerRecordTests
{
    [Theory]
    [InlineData("duplicate key value violates unique constraint: (jane.doe@example.com)", 3, "InvalidOperationException (after 3 attempts)")]
    [InlineData("Customer 'Jane Doe' has open invoices", 1, "InvalidOperationException (after 1 attempt)")]
    public void ForTheRecord_AnExceptionsMessage_IsLeftOut(string message, int attempts, string recorded) =>
        Assert.Equal(recorded, WorkItemRunner.ForTheRecord(WorkItemRunner.Describe(new InvalidOperationException(message)), attempts));

    [Fact]
    public void ForTheRecord_TheEmailSendersRefusal_KeepsItsMessage()
    {
        var error = WorkItemRunner.Describe(new PermanentEmailException("SendGrid refused message m1 with 400 BadRequest: invalid address"));

        Assert.Equal("PermanentEmailException: SendGrid refused message m1 with 400 BadRequest: invalid address", WorkItemRunner.ForTheRecord(error, 1));
    }

    [Theory]
    [InlineData("message failed on every attempt")]
    [InlineData("Note: the step was given up by staff")]
    public void ForTheRecord_AnErrorThatIsNoExceptions_IsKeptAsItIs(string error) =>
        Assert.Equal(error, WorkItemRunner.ForTheRecord(error, 2));
}
