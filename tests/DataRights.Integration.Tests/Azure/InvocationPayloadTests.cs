using System.Text;
using DataRights.Host.Functions;
using DataRights.Host.Queue;

namespace DataRights.Integration.Tests.Azure;

/// <summary>The custom-handler request payload as documented: Data by binding name, Metadata with JSON-quoted strings.</summary>
public sealed class InvocationPayloadTests
{
    [Fact]
    public void Parse_TimerPayload_ReadsTheTimerBindingAndSysMetadata()
    {
        var invocation = Parse(Invocations.Timer(pastDue: true).ToJsonString());

        Assert.True(invocation.Data["timer"].GetProperty("IsPastDue").GetBoolean());
        Assert.Equal("timer-overdue-digest", invocation.Metadata["sys"].GetProperty("MethodName").GetString());
    }

    [Fact]
    public void Parse_ServiceBusPayload_UnquotesJsonQuotedMetadata()
    {
        var invocation = Parse("""
            {"Data":{"message":"{\"workItemId\":\"wi-1\",\"requestId\":\"dr_1\",\"kind\":\"message\"}"},
             "Metadata":{"MessageId":"\"wi-1\"","DeliveryCount":"2","ContentType":"\"application/json\"","UserProperties":{},"sys":{"MethodName":"work-item"}}}
            """);

        Assert.Equal("wi-1", invocation.MetadataString("MessageId"));
        Assert.Equal("2", invocation.MetadataString("DeliveryCount"));
        Assert.Equal("application/json", invocation.MetadataString("ContentType"));
        Assert.Equal("wi-1", InvocationEndpoints.WorkItemIdOf(invocation));
    }

    [Theory]
    [InlineData("""{"MessageId":"wi-2"}""", "wi-2")]
    [InlineData("""{"MessageId":"\"wi-2#3\""}""", "wi-2")]
    [InlineData("""{"MessageId":"\"a \\\"quoted\\\" id\""}""", "a \"quoted\" id")]
    [InlineData("""{"MessageId":42}""", "42")]
    [InlineData("""{}""", null)]
    public void MetadataString_QuotedPlainOrNumber_GivesTheValue(string metadata, string? expectedWorkItem)
    {
        var invocation = Parse($$"""{"Data":{"message":null},"Metadata":{{metadata}}}""");

        Assert.Equal(expectedWorkItem, InvocationEndpoints.WorkItemIdOf(invocation));
    }

    [Fact]
    public void Parse_MessageBodyAsAnObject_IsReadToo()
    {
        var invocation = Parse("""{"Data":{"message":{"workItemId":"wi-9","requestId":"dr_9","kind":"timer"}},"Metadata":{}}""");

        Assert.Equal("wi-9", InvocationEndpoints.WorkItemIdOf(invocation));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"Metadata":{}}""")]
    public void Parse_NotAnInvocation_IsRefused(string body)
    {
        Assert.Null(InvocationRequest.Parse(Encoding.UTF8.GetBytes(body), out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("wi-1", 0, "wi-1")]
    [InlineData("wi-1", 2, "wi-1#2")]
    public void MessageId_IsTheWorkItemIdWithTheAttemptOnceRetried(string id, int attempts, string messageId)
    {
        Assert.Equal(messageId, WorkMessages.MessageIdFor(id, attempts));
        Assert.Equal(id, WorkMessages.WorkItemIdOf(messageId));
    }

    private static InvocationRequest Parse(string json) =>
        InvocationRequest.Parse(Encoding.UTF8.GetBytes(json), out var error) ?? throw new InvalidOperationException(error);
}
