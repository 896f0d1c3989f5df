using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Email;
using DataRights.Integration.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.DependencyInjection;
using static DataRights.Integration.Tests.Workflow.WorkflowEndToEndTests;

namespace DataRights.Integration.Tests.Email;

public sealed class MessageTemplatesTests
{
    [Fact]
    public async Task Compose_EveryMessageKind_RendersFromItsTemplateWithTheReferenceInTheSubject()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!;
        var composer = factory.Services.GetRequiredService<MessageComposer>();

        foreach (var kind in Enum.GetValues<MessageKind>().Where(k => k is not (MessageKind.ManualTask or MessageKind.StaffDigest or MessageKind.RecipientNotice or MessageKind.StaffRecipientTask or MessageKind.PurgeTask or MessageKind.StaffWorkflowStopped or MessageKind.StaffSubmissionSetAside)))
        {
            // The export-ready message is only sent once an export exists.
            var r = kind switch
            {
                MessageKind.ExportReady => request with { Progress = request.Progress with { Export = new ExportRecord(request.ReceivedAt, 123_456, 42, 7, request.ReceivedAt.AddDays(7)) } },
                MessageKind.RestrictionLifting => request with
                {
                    Progress = request.Progress with { Restriction = new RestrictionRecord(request.ReceivedAt, "The dispute is settled.", request.ReceivedAt, request.ReceivedAt.AddDays(7)) },
                },
                _ => request,
            };
            var messages = composer.Compose("test:" + Kebab.Of(kind), r, kind, "1");

            Assert.NotEmpty(messages);
            Assert.All(messages, m =>
            {
                Assert.Contains(request.Reference, m.Subject, StringComparison.Ordinal);
                Assert.Contains("Example Telecom Ltd", m.TextBody, StringComparison.Ordinal);
                Assert.DoesNotContain("{{", m.TextBody, StringComparison.Ordinal);
                Assert.StartsWith("<!DOCTYPE html>", m.HtmlBody, StringComparison.Ordinal);
            });
        }
    }

    [Theory]
    [InlineData(Jurisdiction.UK, true)]
    [InlineData(Jurisdiction.EU, true)]
    [InlineData(Jurisdiction.UsCa, false)]
    [InlineData(Jurisdiction.BR, false)]
    public async Task Compose_Rejection_NamesTheCourtsWhereTheGdprAsksItTo(Jurisdiction jurisdiction, bool named)
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))! with { Jurisdiction = jurisdiction };

        var rejection = Assert.Single(factory.Services.GetRequiredService<MessageComposer>().Compose("test:rejection", request, MessageKind.Rejection, "1"));

        Assert.Equal(named, rejection.TextBody.Contains("ask a court", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Jurisdiction.UK, "Under Article 19 of the UK GDPR we are telling you", "(UK GDPR Art. 19)")]
    [InlineData(Jurisdiction.EU, "Under Article 19 of the GDPR we are telling you", "(EU GDPR Art. 19)")]
    [InlineData(Jurisdiction.BR, "Under Article 18, §6 of the LGPD (Law 13.709/2018) we are telling you", "(LGPD Art. 18 §6)")]
    [InlineData(Jurisdiction.UsCa, "Under the California Consumer Privacy Act we are telling you", "(CCPA)")]
    public async Task ComposeRecipientNotices_CiteTheLawOfTheRequestersJurisdiction(Jurisdiction jurisdiction, string sentence, string cite)
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(await SubmitAsync(client, factory.Services), CancellationToken.None))! with { Jurisdiction = jurisdiction };
        var source = new SourceProgress { Key = "crm", DisplayName = "CRM", Access = Core.Sources.SourceAccess.ReadWrite };

        var messages = factory.Services.GetRequiredService<MessageComposer>().ComposeRecipientNotices(
            "dr_1:message:recipient-notice:1", request, [(source, new Core.Sources.Registry.SourceRecipient("Ann", "ann@partner.example")), (source, new Core.Sources.Registry.SourceRecipient("Bo", null))]);

        Assert.Contains(sentence, messages.Single(m => m.To == "ann@partner.example").TextBody.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("so please tell them by hand " + cite + ":", messages.Single(m => m.To != "ann@partner.example").TextBody.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain(messages, m => jurisdiction is not (Jurisdiction.UK or Jurisdiction.EU) && m.TextBody.Contains("GDPR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ComposeRecipientNotices_ARecipientRemovedBetweenTries_LeavesTheOthersUnderTheIdsTheyHad()
    {
        // Tried once with three recipients (the third send failed), then again after the second was removed: the third
        // must keep its id, or the sent log would take it for one already sent (ids by position) and skip it.
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var request = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(await SubmitAsync(client, factory.Services), CancellationToken.None))!;
        var composer = factory.Services.GetRequiredService<MessageComposer>();
        var source = new SourceProgress { Key = "crm", DisplayName = "CRM", Access = Core.Sources.SourceAccess.ReadWrite };
        (SourceProgress, Core.Sources.Registry.SourceRecipient) To(string name, string email) => (source, new Core.Sources.Registry.SourceRecipient(name, email));

        var first = composer.ComposeRecipientNotices("dr_1:message:recipient-notice:1", request, [To("Ann", "ann@partner.example"), To("Bo", "bo@partner.example"), To("Cy", "cy@partner.example")]);
        var again = composer.ComposeRecipientNotices("dr_1:message:recipient-notice:1", request, [To("Ann", "ann@partner.example"), To("Cy", "cy@partner.example")]);

        Assert.Equal(3, first.Select(m => m.Id).Distinct().Count());
        Assert.Equal(first.Where(m => m.To != "bo@partner.example").Select(m => (m.To, m.Id)), again.Select(m => (m.To, m.Id)));
        Assert.All(first, m => Assert.DoesNotContain("partner", m.Id, StringComparison.Ordinal));
        Assert.Equal(MessageComposer.ForRecipient("x", "Cy@Partner.example "), MessageComposer.ForRecipient("x", "cy@partner.example"));
    }

    [Fact]
    public async Task Compose_UnansweredQuestion_RemindsThePersonWithALinkToAnswer_AndTellsThePrivacyTeamWhatTheyCanDo()
    {
        using var factory = new DataRightsFactory { Sources = new InMemorySourceRegistry(new InMemoryDataSource("crm", "CRM")) };
        using var client = factory.CreateClient();
        var id = await SubmitAsync(client, factory.Services);
        var submitted = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!;
        var request = submitted with
        {
            Status = Core.Requests.RequestStatus.AwaitingInformation,
            Progress = submitted.Progress with
            {
                InformationQuestion = "Which account number did you use?",
                Pauses = [new ClockPause(DateOnly.FromDateTime(submitted.ReceivedAt.UtcDateTime), null, "clarification")],
            },
        };
        var composer = factory.Services.GetRequiredService<MessageComposer>();

        var reminder = Assert.Single(composer.Compose("test:reminder", request, MessageKind.InformationReminder, "1"));
        var notice = Assert.Single(composer.Compose("test:unanswered", request, MessageKind.StaffInformationUnanswered, "1"));

        Assert.Equal(request.Email, reminder.To);
        Assert.Contains("Which account number did you use?", reminder.TextBody, StringComparison.Ordinal);
        Assert.Contains("/information/", Assert.Single(reminder.Links), StringComparison.Ordinal);
        Assert.Contains("paused until you reply", reminder.TextBody, StringComparison.Ordinal);
        Assert.Equal("privacy-team@example.com", notice.To);
        Assert.Contains("has not answered", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("Which account number did you use?", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("paused until they reply", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("reject the request from the staff console", notice.TextBody, StringComparison.Ordinal);
        Assert.Empty(notice.Links);
    }

    [Fact]
    public void Render_ValuesWithMarkup_AreEscapedInHtmlAndKeptInText()
    {
        var folder = Directory.CreateTempSubdirectory("templates-").FullName;
        try
        {
            WriteAll(folder, "subject: Hello {{name}}\n---\nDear {{name}},\n\n[Open]({{link}})\n\n{{list:items}}");
            var templates = new MessageTemplates(folder);

            var m = templates.Render(
                MessageKind.Completion,
                new Dictionary<string, string?> { ["name"] = "<b>Eve</b>", ["link"] = "https://x.example/a?b=1&c=2" },
                new Dictionary<string, IReadOnlyList<string>> { ["items"] = ["<i>one</i>"] },
                "Footer");

            Assert.Equal("Hello <b>Eve</b>", m.Subject);
            Assert.Contains("Dear <b>Eve</b>,", m.Text, StringComparison.Ordinal);
            Assert.Contains("Dear &lt;b&gt;Eve&lt;/b&gt;,", m.Html, StringComparison.Ordinal);
            Assert.Contains("&lt;i&gt;one&lt;/i&gt;", m.Html, StringComparison.Ordinal);
            Assert.Contains("href=\"https://x.example/a?b=1&amp;c=2\"", m.Html, StringComparison.Ordinal);
            Assert.Equal(["https://x.example/a?b=1&c=2"], m.Links);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Render_PlaceholderWithoutAValue_Throws()
    {
        var folder = Directory.CreateTempSubdirectory("templates-").FullName;
        try
        {
            WriteAll(folder, "subject: Hello\n---\nDear {{nobody}},");
            var templates = new MessageTemplates(folder);

            Assert.Throws<InvalidOperationException>(() => templates.Render(MessageKind.Rejection, new Dictionary<string, string?>(), new Dictionary<string, IReadOnlyList<string>>(), "Footer"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_MissingTemplate_FailsNamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("templates-").FullName;
        try
        {
            WriteAll(folder, "subject: x\n---\ny");
            File.Delete(Path.Combine(folder, "completion.txt"));

            var error = Assert.Throws<InvalidOperationException>(() => new MessageTemplates(folder));

            Assert.Contains("completion.txt", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void WriteAll(string folder, string text)
    {
        foreach (var kind in Enum.GetValues<MessageKind>())
        {
            File.WriteAllText(Path.Combine(folder, Kebab.Of(kind) + ".txt"), text);
        }
    }
}
