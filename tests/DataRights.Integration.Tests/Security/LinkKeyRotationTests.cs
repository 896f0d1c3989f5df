using System.Security.Cryptography;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Security;

/// <summary>Rotating the keys that sign emailed links: links already sent keep working while their key is listed, and a link refused for its key says why in the log.</summary>
public sealed class LinkKeyRotationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] First = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Second = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void NewKeyActive_ALinkSentUnderTheOldOne_StillOpensAndNewLinksUseTheNewKey()
    {
        using var logs = new CapturedLogs();
        var sent = Tokens(logs, null, ("k1", First)).Create(LinkPurposes.Approve, "req-1", "approval-1", "approver@example.com", Now.AddDays(7));

        var rotated = Tokens(logs, "k2", ("k1", First), ("k2", Second));

        Assert.Equal(LinkProblem.None, rotated.Read(sent, LinkPurposes.Approve, Now).Problem);
        var fresh = rotated.Create(LinkPurposes.Approve, "req-1", "approval-1", "approver@example.com", Now.AddDays(7));
        Assert.Equal("k2", rotated.Read(fresh, LinkPurposes.Approve, Now).Claims!.KeyId);
        Assert.Empty(logs.Lines);
    }

    [Fact]
    public void KeyReplacedUnderTheSameId_TheLinkIsRefusedAndTheLogSaysWhyWithoutTheToken()
    {
        using var logs = new CapturedLogs();
        var sent = Tokens(logs, null, ("k1", First)).Create(LinkPurposes.Download, "req-1", "download", "person@example.com", Now.AddDays(7));

        var redeployed = Tokens(logs, null, ("k1", Second));

        Assert.Equal(LinkProblem.BadSignature, redeployed.Read(sent, LinkPurposes.Download, Now).Problem);
        var line = Assert.Single(logs.Lines);
        Assert.Contains("[2055]", line, StringComparison.Ordinal);
        Assert.Contains("key k1", line, StringComparison.Ordinal);
        Assert.DoesNotContain(sent.Split('.')[1], line, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyRetiredTooSoon_TheLinkIsRefusedAndTheLogNamesTheKey()
    {
        using var logs = new CapturedLogs();
        var sent = Tokens(logs, null, ("k1", First)).Create(LinkPurposes.Verify, "req-1", "verification", "person@example.com", Now.AddDays(3));

        var retired = Tokens(logs, null, ("k2", Second));

        Assert.Equal(LinkProblem.UnknownKey, retired.Read(sent, LinkPurposes.Verify, Now).Problem);
        Assert.Contains("[2054] A link signed under key k1", Assert.Single(logs.Lines), StringComparison.Ordinal);
    }

    private static LinkTokens Tokens(CapturedLogs logs, string? active, params (string Id, byte[] Key)[] keys)
    {
        var options = new DataRightsOptions
        {
            LinkKeys = keys.ToDictionary(k => k.Id, k => Convert.ToBase64String(k.Key), StringComparer.Ordinal),
            ActiveLinkKeyId = active,
        };
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return new LinkTokens(Options.Create(options), factory.CreateLogger<LinkTokens>());
    }
}
