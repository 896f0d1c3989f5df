using System.Globalization;
using DataRights.Core.Audit;

namespace DataRights.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private const string RequestId = "req-1";
    private static readonly DateTimeOffset Start = new(2026, 6, 30, 23, 30, 0, TimeSpan.Zero);

    public static TheoryData<string, int> FieldsAndSequences()
    {
        var data = new TheoryData<string, int>();
        foreach (var field in new[] { "RequestId", "At", "Actor", "Action", "FromStatus", "ToStatus", "Details", "PreviousHash", "Hash" })
        {
            for (var sequence = 1; sequence <= 4; sequence++)
            {
                data.Add(field, sequence);
            }
        }

        return data;
    }

    [Fact]
    public void Verify_ChainBuiltWithNext_IsValid()
    {
        var result = AuditChain.Verify(BuildChain());

        Assert.Equal(new AuditVerification(true, 4, null, null), result);
    }

    [Fact]
    public void Next_FirstEntry_LinksToGenesis()
    {
        var first = AuditChain.Next(null, RequestId, Start, "system", AuditActions.Received, null, "received");

        Assert.Equal(1, first.Sequence);
        Assert.Equal(AuditChain.Genesis, first.PreviousHash);
        Assert.Equal(new string('0', 64), AuditChain.Genesis);
    }

    [Fact]
    public void Next_FollowingEntry_LinksToPreviousHashAndNumbersOnFromIt()
    {
        var chain = BuildChain();

        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(i + 1, chain[i].Sequence);
            Assert.Equal(chain[i - 1].Hash, chain[i].PreviousHash);
        }
    }

    [Fact]
    public void Next_AnyEntry_HashIsLowerCaseSha256Hex()
    {
        var entry = AuditChain.Next(null, RequestId, Start, "system", AuditActions.Received, null, "received");

        Assert.Equal(64, entry.Hash.Length);
        Assert.All(entry.Hash, c => Assert.True(char.IsAsciiDigit(c) || c is >= 'a' and <= 'f', $"'{c}' is not lower-case hex."));
    }

    [Fact]
    public void Next_KnownEntry_MatchesStoredHash()
    {
        // Stored trails must keep verifying: the hash formula must not drift.
        var details = new Dictionary<string, string?> { ["regime"] = "uk-gdpr", ["channel"] = "web_form" };

        var entry = AuditChain.Next(null, RequestId, Start, "system", AuditActions.Received, null, "received", details);

        Assert.Equal("""{"channel":"web_form","regime":"uk-gdpr"}""", entry.Details);
        Assert.Equal("0d2a99e5a17ad06664666f9fce6499e58c2a730f048472b4de2d013844026178", entry.Hash);
    }

    [Fact]
    public void Next_InstantWithOffset_IsStoredInUtc()
    {
        var at = new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.FromHours(2));

        var entry = AuditChain.Next(null, RequestId, at, "system", AuditActions.Received, null, "received");

        Assert.Equal(TimeSpan.Zero, entry.At.Offset);
        Assert.Equal(at, entry.At);
    }

    [Fact]
    public void Next_SameInstantInDifferentOffsets_SameHash()
    {
        var utc = AuditChain.Next(null, RequestId, Start, "system", AuditActions.Received, null, "received");
        var local = AuditChain.Next(null, RequestId, Start.ToOffset(TimeSpan.FromHours(-7)), "system", AuditActions.Received, null, "received");

        Assert.Equal(utc.Hash, local.Hash);
    }

    [Fact]
    public void Next_SameDetailsInDifferentInsertionOrder_SameDetailsAndHash()
    {
        var forwards = new Dictionary<string, string?> { ["a"] = "1", ["B"] = "2", ["c"] = null, ["b"] = "3" };
        var backwards = new Dictionary<string, string?> { ["b"] = "3", ["c"] = null, ["B"] = "2", ["a"] = "1" };

        var first = AuditChain.Next(null, RequestId, Start, "system", "x", null, null, forwards);
        var second = AuditChain.Next(null, RequestId, Start, "system", "x", null, null, backwards);

        Assert.Equal("""{"B":"2","a":"1","b":"3","c":null}""", first.Details);
        Assert.Equal(first.Details, second.Details);
        Assert.Equal(first.Hash, second.Hash);
    }

    [Fact]
    public void Next_NoDetails_SameAsEmptyDetails()
    {
        var none = AuditChain.Next(null, RequestId, Start, "system", "x", null, null);
        var empty = AuditChain.Next(null, RequestId, Start, "system", "x", null, null, new Dictionary<string, string?>());

        Assert.Equal("{}", none.Details);
        Assert.Equal(none.Hash, empty.Hash);
    }

    [Fact]
    public void Next_DetailValueDiffers_HashDiffers()
    {
        var three = AuditChain.Next(null, RequestId, Start, "system", "x", null, null, new Dictionary<string, string?> { ["count"] = "3" });
        var four = AuditChain.Next(null, RequestId, Start, "system", "x", null, null, new Dictionary<string, string?> { ["count"] = "4" });

        Assert.NotEqual(three.Hash, four.Hash);
    }

    [Fact]
    public void Next_SameEntryForAnotherRequest_HashDiffers()
    {
        var mine = AuditChain.Next(null, "req-1", Start, "system", AuditActions.Received, null, "received");
        var theirs = AuditChain.Next(null, "req-2", Start, "system", AuditActions.Received, null, "received");

        Assert.NotEqual(mine.Hash, theirs.Hash);
    }

    [Theory]
    [MemberData(nameof(FieldsAndSequences))]
    public void Verify_FieldOfEntryChanged_ReportsThatEntry(string field, int sequence)
    {
        var chain = BuildChain();
        var i = sequence - 1;
        chain[i] = Tamper(chain[i], field);

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsValid);
        Assert.Equal(4, result.EntryCount);
        Assert.Equal(sequence, result.FirstBrokenSequence);
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
    }

    [Fact]
    public void Verify_InstantChangedByOneTick_ReportsThatEntry()
    {
        var chain = BuildChain();
        chain[2] = chain[2] with { At = chain[2].At.AddTicks(1) };

        Assert.Equal(3, AuditChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void Verify_InstantReadBackInAnotherOffset_IsValid()
    {
        // A store may hand back the same instant with a local offset; it is still the same fact.
        var chain = BuildChain().Select(e => e with { At = e.At.ToOffset(TimeSpan.FromHours(1)) }).ToList();

        Assert.True(AuditChain.Verify(chain).IsValid);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    public void Verify_EntryRemoved_ReportsTheEntryAfterTheGap(int removed, long expectedBroken)
    {
        var chain = BuildChain();
        chain.RemoveAt(removed - 1);

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsValid);
        Assert.Equal(3, result.EntryCount);
        Assert.Equal(expectedBroken, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_EntryRemovedAndLaterOnesRenumbered_ReportsTheBrokenLink()
    {
        var chain = BuildChain();
        chain.RemoveAt(1);
        chain[1] = chain[1] with { Sequence = 2 };
        chain[2] = chain[2] with { Sequence = 3 };

        Assert.Equal(2, AuditChain.Verify(chain).FirstBrokenSequence);
    }

    [Theory]
    [InlineData(1, 2L)]
    [InlineData(2, 3L)]
    [InlineData(3, 4L)]
    public void Verify_TwoNeighboursSwapped_ReportsTheFirstOutOfPlace(int first, long expectedBroken)
    {
        var chain = BuildChain();
        (chain[first - 1], chain[first]) = (chain[first], chain[first - 1]);

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsValid);
        Assert.Equal(expectedBroken, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_TwoNeighboursSwappedAndRenumbered_ReportsTheBrokenLink()
    {
        var chain = BuildChain();
        (chain[1], chain[2]) = (chain[2] with { Sequence = 2 }, chain[1] with { Sequence = 3 });

        Assert.Equal(2, AuditChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ForgedEntryInserted_ReportsTheDisplacedEntry()
    {
        var chain = BuildChain();
        var forged = AuditChain.Next(chain[1], RequestId, chain[1].At.AddMinutes(1), "intruder", "request.erased", "verified", "completed");
        chain.Insert(2, forged);

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsValid);
        Assert.Equal(5, result.EntryCount);
        // Position 4 holds the original entry 3.
        Assert.Equal(3, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_ForgedEntryInsertedAndLaterOnesRenumbered_ReportsTheEntryAfterIt()
    {
        var chain = BuildChain();
        var forged = AuditChain.Next(chain[1], RequestId, chain[1].At.AddMinutes(1), "intruder", "request.erased", "verified", "completed");
        chain.Insert(2, forged);
        for (var i = 3; i < chain.Count; i++)
        {
            chain[i] = chain[i] with { Sequence = i + 1 };
        }

        Assert.Equal(4, AuditChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void Verify_EntryDuplicated_ReportsTheDuplicate()
    {
        var chain = BuildChain();
        chain.Insert(2, chain[1]);

        Assert.Equal(2, AuditChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void Verify_EntryFromAnotherRequestSpliced_ReportsTheBrokenLink()
    {
        var chain = BuildChain();
        chain[1] = BuildChain("req-2")[1];

        Assert.Equal(2, AuditChain.Verify(chain).FirstBrokenSequence);
    }

    [Fact]
    public void Verify_EntryReplacedByForgeryWithItsOwnValidHash_ReportsTheBrokenLink()
    {
        // The forged entry's hash is right for its fields; only its link to entry 1 gives it away.
        var chain = BuildChain();
        var alternativeHistory = BuildChain(RequestId, Start.AddSeconds(1));
        chain[1] = alternativeHistory[1];

        var result = AuditChain.Verify(chain);

        Assert.False(result.IsValid);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void FormatInstant_InstantWithOffset_IsUtcWithSevenFractionalDigits()
    {
        var at = new DateTimeOffset(2026, 7, 1, 1, 30, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

        Assert.Equal("2026-06-30T23:30:00.1234567Z", AuditChain.FormatInstant(at));
    }

    [Fact]
    public void FormatInstant_UnderAnotherCulture_IsUnchanged()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            Assert.Equal("2026-06-30T23:30:00.0000000Z", AuditChain.FormatInstant(Start));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static List<AuditEntry> BuildChain(string requestId = RequestId) => BuildChain(requestId, Start);

    private static List<AuditEntry> BuildChain(string requestId, DateTimeOffset start)
    {
        var first = AuditChain.Next(null, requestId, start, "system", AuditActions.Received, null, "received",
            new Dictionary<string, string?> { ["channel"] = "web_form", ["regime"] = "uk-gdpr" });
        var second = AuditChain.Next(first, requestId, start.AddMinutes(5), "system", "request.verification_sent", "received", "awaiting_verification");
        var third = AuditChain.Next(second, requestId, start.AddHours(2), "requester", "request.verified", "awaiting_verification", "verified",
            new Dictionary<string, string?> { ["method"] = "email_link" });
        var fourth = AuditChain.Next(third, requestId, start.AddDays(1), "staff:42", "request.rejected", "verified", "rejected",
            new Dictionary<string, string?> { ["reason"] = "manifestly_unfounded", ["count"] = "3" });
        return [first, second, third, fourth];
    }

    private static AuditEntry Tamper(AuditEntry entry, string field) => field switch
    {
        "RequestId" => entry with { RequestId = "req-9" },
        "At" => entry with { At = entry.At.AddSeconds(-1) },
        "Actor" => entry with { Actor = entry.Actor + "x" },
        "Action" => entry with { Action = "request.completed" },
        "FromStatus" => entry with { FromStatus = entry.FromStatus is null ? "received" : null },
        "ToStatus" => entry with { ToStatus = "completed" },
        "Details" => entry with { Details = entry.Details == "{}" ? """{"extra":"1"}""" : entry.Details.Replace("}", ""","extra":"1"}""", StringComparison.Ordinal) },
        "PreviousHash" => entry with { PreviousHash = Flip(entry.PreviousHash) },
        "Hash" => entry with { Hash = Flip(entry.Hash) },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field of AuditEntry."),
    };

    private static string Flip(string hash) => (hash[0] == '0' ? "1" : "0") + hash[1..];
}
