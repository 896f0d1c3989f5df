using DataRights.Email.SendGrid.SentLog;

namespace DataRights.Email.Tests;

public sealed class InMemorySentMessageLogTests : SentMessageLogContract
{
    protected override ISentMessageLog Log { get; } = new InMemorySentMessageLog();
}
