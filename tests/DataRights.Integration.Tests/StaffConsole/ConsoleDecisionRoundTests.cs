using System.Net;
using System.Text.RegularExpressions;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.StaffConsole;
using DataRights.Host.Workflow;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>
/// A decision taken on the console's request page is bound to the round of approval the page showed, as an emailed
/// approval link is: a page opened before a question was asked and answered cannot approve the new round unseen.
/// </summary>
public sealed partial class ConsoleDecisionRoundTests
{
    [Fact]
    public async Task ApprovalFromAPageOfAnEarlierRound_IsNotMade_AndThePageSaysTheRequestMovedOn()
    {
        using var factory = new DataRightsFactory();
        using var api = factory.CreateClient();
        var id = await SubmitAndVerifyAsync(factory, api);
        using var client = ConsoleClient.Create(factory);
        await ConsoleClient.SignInAsync(client);
        var page = await client.GetStringAsync($"/staff/requests/{id}");
        var step = StepField().Match(page).Groups[1].Value;
        Assert.Equal("approval-1", step);

        // Meanwhile another officer asks the requester a question, and the answer starts a new round of approval.
        var engine = factory.Services.GetRequiredService<WorkflowEngine>();
        Assert.True((await engine.ApplyAsync(id, new InformationRequested("staff:Grace Approver", "Which account is yours?"), CancellationToken.None))!.Changed);
        Assert.True((await engine.ApplyAsync(id, new InformationProvided("requester", "The one ending 42."), CancellationToken.None))!.Changed);
        await factory.DrainAsync();

        using var stale = await client.PostAsync($"/staff/requests/{id}/approve", new FormUrlEncodedContent(
            [new("step", step), new("approve-note", "Checked"), new("__csrf", Forms.CsrfToken(page))]));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(RequestActions.MovedOn), await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var request = await factory.Stored.SingleRequestAsync();
        Assert.Equal((RequestStatus.AwaitingApproval, 2), (request.Status, request.Progress.ApprovalRound));

        // The page as it is now decides.
        var current = await client.GetStringAsync($"/staff/requests/{id}");
        Assert.Equal("approval-2", StepField().Match(current).Groups[1].Value);
        using var approved = await client.PostAsync($"/staff/requests/{id}/approve", new FormUrlEncodedContent(
            [new("step", "approval-2"), new("approve-note", "Checked"), new("__csrf", Forms.CsrfToken(current))]));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
    }

    [GeneratedRegex("name=\"step\" value=\"([^\"]+)\"")]
    private static partial Regex StepField();
}
