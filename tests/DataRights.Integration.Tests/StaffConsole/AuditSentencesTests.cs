using System.Text.Json;
using DataRights.Core.Audit;
using DataRights.Host.StaffConsole.Evidence;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>How the evidence pack words the searches of a request's systems, by their display names.</summary>
public sealed class AuditSentencesTests
{
    private static readonly AuditSentences Sentences = new(
        key => key switch { "billing" => "Billing system", "crm" => "Customer records", _ => key },
        (_, category) => category,
        _ => [],
        point => point,
        regime => regime);

    [Fact]
    public void ASearchAgain_NamesTheSystemsSearchedAgain_AndSaysWhatTheOthersFoundStands()
    {
        var sentence = Sentences.Describe(Entry("discovery.started", ("sources", "1"), ("round", "2"), ("searchedAgain", "billing")));

        Assert.Equal("Searched again for the requester's data in Billing system, which could not be searched before; what the other systems found stands (round 2).", sentence);
    }

    [Fact]
    public void AFirstSearch_CountsTheSystems()
    {
        var sentence = Sentences.Describe(Entry("discovery.started", ("sources", "3"), ("round", "1")));

        Assert.Equal("Search for the requester's data started in 3 systems (round 1).", sentence);
    }

    [Fact]
    public void AShortfallWhileASystemWasDown_SaysWhatIsSearchedAgainAndWhen()
    {
        var sentence = Sentences.Describe(Entry(
            "verification.search_again", ("unsearched", "billing"), ("required", "2"), ("matched", "1"), ("time", "1"), ("searchAt", "2026-12-05T10:00:00.0000000+00:00")));

        Assert.StartsWith("Too few details matched (1 of 2 needed) while Billing system could not be searched, so nothing was decided: what could not be searched is searched again at ", sentence, StringComparison.Ordinal);
        Assert.EndsWith("(first search again) before the shortfall counts against the requester.", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepeatAskingForAnotherRight_SaysItWasNotRegistered_AndTheSameRequestAgainSaysSo()
    {
        var other = Sentences.Describe(Entry("verification.resent_on_repeat", ("count", "2"), ("asked", "access")));
        var same = Sentences.Describe(Entry("verification.resent_on_repeat", ("count", "3")));

        Assert.StartsWith("A request for another right (", other, StringComparison.Ordinal);
        Assert.Contains("access", other, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("It was not registered", other, StringComparison.Ordinal);
        Assert.EndsWith("(email 2).", other, StringComparison.Ordinal);
        Assert.Equal("The same request was submitted again; the verification email was sent again (email 3).", same);
    }

    [Fact]
    public void AReminderCaughtUpOnResume_SaysWhyItCameLate()
    {
        var caughtUp = Sentences.Describe(Entry("deadline.reminded", ("reminder", "7d@2026-10-01"), ("caughtUp", "true")));
        var onTime = Sentences.Describe(Entry("deadline.reminded", ("reminder", "3d@2026-10-01")));

        Assert.Equal("Staff were reminded that the request is due in 7 days: the reminder's time came while the clock was paused, so it was sent when the clock started again.", caughtUp);
        Assert.Equal("Staff were reminded that the request is due in 3 days.", onTime);
    }

    private static AuditEntry Entry(string action, params (string Key, string Value)[] details) => new(
        "dr_test", 7, new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero), "system:workflow", action, null, null,
        JsonSerializer.Serialize(details.ToDictionary(d => d.Key, d => d.Value)), "previous", "hash");
}
