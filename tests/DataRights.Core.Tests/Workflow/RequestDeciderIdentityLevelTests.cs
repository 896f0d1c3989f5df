using System.Text.Json;
using DataRights.Core.Requests;
using DataRights.Core.Verification;
using DataRights.Core.Workflow;

namespace DataRights.Core.Tests.Workflow;

/// <summary>Verification levels per jurisdiction and right: matched details, the declaration, and what happens when a request falls short.</summary>
public sealed class RequestDeciderIdentityLevelTests
{
    private const string Declaration = "I declare under penalty of perjury that I am the consumer.";

    private static readonly GivenDataPoint Phone = Point("phone", "+44 7700 900123");
    private static readonly GivenDataPoint Postcode = Point("postcode", "EC1A 1AA");
    private static readonly GivenDataPoint Account = Point("accountNumber", "ACC-1042");

    [Fact]
    public void Policy_Defaults_FollowTheCcpaRegulationsAndGdprProportionality()
    {
        var policy = VerificationPolicy.Default;

        Assert.Equal(new VerificationLevel(3, true), policy.For(Jurisdiction.UsCa, RequestType.Access));
        Assert.Equal(new VerificationLevel(3, true), policy.For(Jurisdiction.UsCa, RequestType.Portability));
        Assert.Equal(new VerificationLevel(2, false), policy.For(Jurisdiction.UsCa, RequestType.Erasure));
        Assert.Equal(VerificationLevel.EmailOnly, policy.For(Jurisdiction.UsCa, RequestType.Objection));
        Assert.Equal(VerificationLevel.EmailOnly, policy.For(Jurisdiction.UK, RequestType.Access));
        Assert.Equal(VerificationLevel.EmailOnly, policy.For(Jurisdiction.EU, RequestType.Erasure));
        Assert.Equal(2, policy.CategoriesDataPoints);
        Assert.Equal(2, policy.MaxAttempts);
        Assert.Contains("penalty of perjury", policy.DeclarationText(Jurisdiction.UsCa), StringComparison.Ordinal);
        Assert.DoesNotContain("perjury", policy.DeclarationText(Jurisdiction.UK), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_EmailOnlyLevel_VerifiesOnTheLinkAlone()
    {
        var run = DeciderHarness.For(Jurisdiction.UK, type: RequestType.Access);
        run.Submit();

        var decision = run.Verify();

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Null(decision.Request.Progress.Identity);
        Assert.Null(decision.Request.DataPoints);
    }

    [Fact]
    public void Decide_SpecificPiecesWithTooFewDetailsOrNoDeclaration_IsRefusedAndNothingChanges()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Access);
        run.Submit();
        var before = run.Request;

        run.Apply(Verified(Phone, Postcode) with { Declaration = Signed(run) }).AssertRefused(before);
        run.Apply(Verified(Phone, Postcode, Account)).AssertRefused(before);
        run.Apply(Verified(Phone, Phone, Postcode) with { Declaration = Signed(run) }).AssertRefused(before);
        Assert.Equal(RequestStatus.AwaitingVerification, run.Request.Status);
    }

    [Fact]
    public void Decide_DetailsGiven_KeepsValuesOnlyWithTheRequestAndAuditsNamesHashesAndTheDeclaration()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Access);
        run.Submit();

        var decision = run.Apply(Verified(Phone, Postcode, Account) with { Declaration = Signed(run) });

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Equal([Phone, Postcode, Account], decision.Request.DataPoints);
        Assert.Equal(IdentityCheckOutcome.Pending, decision.Request.Progress.Identity!.Outcome);
        Assert.Equal(["phone", "postcode", "accountNumber"], decision.Request.Progress.Identity.Given);
        var given = decision.SingleAudit("verification.details_given").Details!;
        Assert.Equal("3", given["given"]);
        Assert.Equal($"phone={Phone.Hash}; postcode={Postcode.Hash}; accountNumber={Account.Hash}", given["hashes"]);
        var signed = decision.SingleAudit("verification.declaration_signed").Details!;
        Assert.Equal(Declaration, signed["declaration"]);
        Assert.Equal("Ada Lovelace", signed["signedAs"]);
        Assert.Equal(run.Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), signed["signedAt"]);
    }

    [Fact]
    public void Decide_DetailsGivenWithTheSubmission_CountWhenTheLinkIsFollowed()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Request = run.Request with { DataPoints = [Phone, Account] };
        run.Submit();

        var decision = run.Verify();

        Assert.Equal(RequestStatus.Discovering, decision.Request.Status);
        Assert.Equal(["phone", "accountNumber"], decision.Request.Progress.Identity!.Given);
        Assert.Equal("1", decision.SingleAudit("verification.details_given").Details!["attempt"]);
    }

    [Fact]
    public void Decide_ExpiredBeforeConfirmation_KeepsNoDetailGivenWithTheSubmission()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Request = run.Request with { DataPoints = [Phone, Account] };
        run.Submit();
        run.Advance(TimeSpan.FromDays(14));

        var decision = run.Timer(TimerKind.VerificationExpiry, "1");

        Assert.Equal(RequestStatus.Expired, decision.Request.Status);
        Assert.Null(decision.Request.DataPoints);
    }

    [Fact]
    public void Decide_RejectedBeforeConfirmation_KeepsNoDetailGivenWithTheSubmission()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Request = run.Request with { DataPoints = [Phone, Account] };
        run.Submit();

        var decision = run.Apply(new RequestRejected("staff:grace", RejectionReason.Duplicate, null));

        Assert.Equal(RequestStatus.Rejected, decision.Request.Status);
        Assert.Null(decision.Request.DataPoints);
    }

    [Fact]
    public void Decide_EnoughDetailsMatchAcrossSources_PassesToApprovalAndForgetsTheValues()
    {
        var run = SpecificPieces();

        run.Found("crm", 4, matched: ["phone"]);
        run.Found("billing", 2, matched: ["postcode", "accountNumber", "phone"]);
        var decision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Null(decision.Request.DataPoints);
        Assert.Equal(IdentityCheckOutcome.Passed, decision.Request.Progress.Identity!.Outcome);
        Assert.Equal(3, decision.Request.Progress.Identity.Matched);
        var check = decision.SingleAudit("verification.checked").Details!;
        Assert.Equal(("3", "3", "passed"), (check["required"], check["matched"], check["outcome"]));
    }

    [Fact]
    public void Decide_SpecificPiecesPartlyMatched_IsAnsweredAsCategoriesWithoutACopy()
    {
        var run = SpecificPieces();
        run.Found("crm", 4, matched: ["phone"]);
        run.Found("billing", 2, matched: ["postcode"]);
        var checkedDecision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.AwaitingApproval, checkedDecision.Request.Status);
        Assert.Equal(IdentityCheckOutcome.Categories, checkedDecision.Request.Progress.Identity!.Outcome);
        Assert.True(RequestDecider.AnsweredWithCategories(checkedDecision.Request));

        var approved = run.Approve();

        Assert.Equal(RequestStatus.Completed, approved.Request.Status);
        Assert.Empty(approved.Executions());
        Assert.Empty(approved.Effects.OfType<BuildExport>());
        Assert.Equal(MessageKind.CategoriesAnswer, approved.SingleMessage().Kind);
    }

    [Fact]
    public void Decide_SpecificPiecesBarelyMatched_IsRefusedWithReasonsNamingNoDetail()
    {
        var run = SpecificPieces();
        run.Found("crm", 4, matched: ["phone"]);
        run.Found("billing", 2);

        var decision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.Rejected, decision.Request.Status);
        Assert.Equal(RejectionReason.InsufficientVerification, decision.Request.Progress.Rejection);
        Assert.Equal(MessageKind.Rejection, decision.SingleMessage().Kind);
        var note = decision.Request.Progress.RejectionNote!;
        Assert.Contains("not even the categories", note, StringComparison.Ordinal);
        Assert.DoesNotContain("phone", note, StringComparison.OrdinalIgnoreCase);
        Assert.Null(decision.Request.DataPoints);
    }

    [Fact]
    public void Decide_CaliforniaDeletionNotMatched_IsRefusedWithReasons()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Submit();
        run.Apply(Verified(Phone, Postcode));
        run.Found("crm", 4, matched: ["phone"]);
        run.Found("billing", 2);

        var decision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.Rejected, decision.Request.Status);
        Assert.Contains("before we delete personal information", decision.Request.Progress.RejectionNote, StringComparison.Ordinal);
        Assert.Empty(decision.Executions());
    }

    [Fact]
    public void Decide_ShortfallWhileASourceCouldNotBeSearched_SearchesThatSourceAgainLater_AndDecidesWithWhatTheOthersFound()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Submit();
        run.Apply(Verified(Phone, Postcode));
        run.Found("crm", 4, matched: ["phone"]);
        run.DiscoveryFailed("billing");

        var waiting = run.Found("logs", 0);

        Assert.Equal(RequestStatus.Discovering, waiting.Request.Status);
        Assert.Empty(waiting.Messages());
        Assert.Null(waiting.Request.Progress.Rejection);
        Assert.Equal([Phone, Postcode], waiting.Request.DataPoints);
        Assert.Equal(IdentityCheckOutcome.Pending, waiting.Request.Progress.Identity!.Outcome);
        Assert.Equal(1, waiting.Request.Progress.Identity.SearchedAgain);
        var timer = Assert.Single(waiting.Waiting(TimerKind.SearchAgain));
        Assert.Equal(("1", run.Now + TimeSpan.FromHours(1)), (timer.Tag, timer.At));
        var note = waiting.SingleAudit("verification.search_again").Details!;
        Assert.Equal(("billing", "1", "2"), (note["unsearched"], note["matched"], note["required"]));

        run.Advance(TimeSpan.FromHours(1));
        var again = run.Timer(TimerKind.SearchAgain, "1");

        Assert.Equal(RequestStatus.Discovering, again.Request.Status);
        Assert.Equal(2, again.Request.Progress.DiscoveryRound);
        Assert.Equal([new PendingSourceStep(SourceStep.Discover, "billing", 2)], again.Discoveries());
        var searched = again.SingleAudit("discovery.started").Details!;
        Assert.Equal(("1", "2", "billing"), (searched["sources"], searched["round"], searched["searchedAgain"]));
        Assert.Equal(4, again.Request.Progress.Source("crm")!.Findings!.RecordCount);
        run.Timer(TimerKind.SearchAgain, "1").AssertIgnored(run.Request);

        // What crm matched (the phone number) stands; billing, searched again, matches the postcode.
        var decided = run.Found("billing", 2, matched: ["postcode"]);

        Assert.Equal(RequestStatus.AwaitingApproval, decided.Request.Status);
        Assert.Equal(IdentityCheckOutcome.Passed, decided.Request.Progress.Identity!.Outcome);
        Assert.Equal(1, decided.Request.Progress.Identity.Attempts);
        Assert.Null(decided.Request.DataPoints);
    }

    [Fact]
    public void Decide_ASourceThatStillCannotBeSearched_CountsAfterTheSearchesAgain_AndTheRefusalSaysSo()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Submit();
        run.Apply(Verified(Phone, Postcode));
        run.Found("crm", 4, matched: ["phone"]);
        run.DiscoveryFailed("billing");
        Assert.Equal(RequestStatus.Discovering, run.Found("logs", 0).Request.Status);
        for (var time = 1; time <= VerificationPolicy.Default.SearchesAgain; time++)
        {
            run.Advance(VerificationPolicy.Default.SearchAgainAfter);
            var again = run.Timer(TimerKind.SearchAgain, time.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(["billing"], again.Discoveries().Select(d => d.Source));
            if (time < VerificationPolicy.Default.SearchesAgain)
            {
                Assert.Equal(RequestStatus.Discovering, run.DiscoveryFailed("billing").Request.Status);
            }
        }

        var refused = run.DiscoveryFailed("billing");

        Assert.Equal(RequestStatus.Rejected, refused.Request.Status);
        Assert.Equal(VerificationPolicy.Default.SearchesAgain + 1, refused.Request.Progress.DiscoveryRound);
        Assert.Contains("One of our systems could not be searched", refused.Request.Progress.RejectionNote, StringComparison.Ordinal);
        Assert.Empty(refused.Waiting(TimerKind.SearchAgain));
        Assert.Null(refused.Request.DataPoints);
    }

    [Fact]
    public void Decide_GdprShortfallWhileASourceCouldNotBeSearched_UsesNoAttemptUntilSearchedAgain()
    {
        var run = GdprWithDetails();
        run.Found("crm", 4, matched: ["phone"]);
        run.DiscoveryFailed("billing");

        var waiting = run.Found("logs", 0);

        Assert.Equal(RequestStatus.Discovering, waiting.Request.Status);
        Assert.Empty(waiting.Messages());
        Assert.False(StatutoryClock.IsPaused(waiting.Request.Progress));

        run.Advance(TimeSpan.FromHours(1));
        run.Timer(TimerKind.SearchAgain, "1");
        var asked = run.Found("billing", 0);

        Assert.Equal(RequestStatus.AwaitingVerification, asked.Request.Status);
        Assert.Equal(IdentityCheckOutcome.AskedAgain, asked.Request.Progress.Identity!.Outcome);
        Assert.Equal(1, asked.Request.Progress.Identity.Attempts);
    }

    [Fact]
    public void Decide_AFailedSourceWhenEnoughMatchedElsewhere_DoesNotHoldTheRequestBack()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Submit();
        run.Apply(Verified(Phone, Postcode));
        run.Found("crm", 4, matched: ["phone", "postcode"]);
        run.DiscoveryFailed("billing");

        var decision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Empty(decision.Waiting(TimerKind.SearchAgain));
    }

    [Fact]
    public void Decide_NamesNotGivenOrReportedTwice_DoNotCount()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Submit();
        run.Apply(Verified(Phone, Postcode));
        run.Found("crm", 4, matched: ["phone", "accountNumber"]);
        run.Found("billing", 2, matched: ["phone"]);

        var decision = run.Found("logs", 0);

        Assert.Equal(1, decision.Request.Progress.Identity!.Matched);
        Assert.Equal(RequestStatus.Rejected, decision.Request.Status);
    }

    [Fact]
    public void Decide_GdprNotMatched_AsksOnceMoreWithTheClockPausedThenRefusesWithTheRightToComplain()
    {
        var run = GdprWithDetails();
        run.Found("crm", 4);
        run.Found("billing", 0);

        var asked = run.Found("logs", 0);

        Assert.Equal(RequestStatus.AwaitingVerification, asked.Request.Status);
        Assert.Equal(IdentityCheckOutcome.AskedAgain, asked.Request.Progress.Identity!.Outcome);
        Assert.Equal(new SendMessage("req-1:message:verification-not-matched:2", run.Now, MessageKind.VerificationNotMatched), asked.SingleMessage());
        Assert.True(StatutoryClock.IsPaused(asked.Request.Progress));
        Assert.Equal(["2", "2"], asked.Waiting().Where(t => t.Kind is TimerKind.VerificationReminder or TimerKind.VerificationExpiry).Select(t => t.Tag));
        Assert.Null(asked.Request.DataPoints);

        // The first round's expiry no longer applies.
        run.Advance(TimeSpan.FromDays(14));
        run.Timer(TimerKind.VerificationExpiry, "1").AssertIgnored(run.Request);

        run.Apply(Verified("verify-nonce-2", Phone, Postcode));
        Assert.Equal(2, run.Request.Progress.Identity!.Attempts);
        run.Found("crm", 4, matched: ["postcode"]);
        run.Found("billing", 0);
        var refused = run.Found("logs", 0);

        Assert.Equal(RequestStatus.Rejected, refused.Request.Status);
        Assert.Equal(RejectionReason.InsufficientVerification, refused.Request.Progress.Rejection);
        Assert.Contains("also when we asked for them again", refused.Request.Progress.RejectionNote, StringComparison.Ordinal);
        Assert.Equal(MessageKind.Rejection, refused.SingleMessage().Kind);
    }

    [Fact]
    public void Decide_GdprMatchedOnTheSecondAttempt_GoesToApproval()
    {
        var run = GdprWithDetails();
        run.Found("crm", 4, matched: ["phone"]);
        run.Found("billing", 0);
        run.Found("logs", 0);

        run.Apply(Verified("verify-nonce-2", Phone, Postcode));
        run.Found("crm", 4, matched: ["phone", "postcode"]);
        run.Found("billing", 0);
        var decision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.Equal(IdentityCheckOutcome.Passed, decision.Request.Progress.Identity!.Outcome);
        Assert.False(StatutoryClock.IsPaused(decision.Request.Progress));
    }

    [Fact]
    public void Decide_AttemptsLimitOfOne_RefusesAfterTheFirstMismatch()
    {
        var settings = new WorkflowSettings { Verification = VerificationPolicy.Default.With(Jurisdiction.UK, RequestType.Erasure, new VerificationLevel(2, false)) with { MaxAttempts = 1 } };
        var run = DeciderHarness.For(Jurisdiction.UK, settings: settings);
        run.Submit();
        run.Apply(Verified(Phone, Postcode));
        run.Found("crm", 4, matched: ["phone"]);
        run.Found("billing", 0);

        var decision = run.Found("logs", 0);

        Assert.Equal(RequestStatus.Rejected, decision.Request.Status);
        Assert.DoesNotContain("asked for them again", decision.Request.Progress.RejectionNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_StaffVerifyByHand_NeedsAReasonAndSkipsMatching()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Erasure);
        run.Submit();
        var before = run.Request;

        run.Apply(new IdentityVerified("staff:grace", IdentityVerified.ByStaff, null)).AssertRefused(before);
        var verified = run.Apply(new IdentityVerified("staff:grace", IdentityVerified.ByStaff, null) { Reason = "Saw their passport at the shop." });

        Assert.Equal("Saw their passport at the shop.", verified.SingleAudit("identity.verified").Details!["reason"]);
        Assert.Equal("Saw their passport at the shop.", verified.SingleAudit("verification.by_staff").Details!["reason"]);
        Assert.Equal(IdentityCheckOutcome.ByStaff, verified.Request.Progress.Identity!.Outcome);
        run.Found("crm", 4);
        run.Found("billing", 0);
        var decision = run.Found("logs", 0);
        Assert.Equal(RequestStatus.AwaitingApproval, decision.Request.Status);
        Assert.DoesNotContain("verification.checked", decision.Actions());
    }

    [Fact]
    public void Decide_WholeJourney_NoDetailValueReachesTheAuditTrailOrAnyEffect()
    {
        var run = SpecificPieces();
        var decisions = new List<Decision>
        {
            run.Found("crm", 4, matched: ["phone"]),
            run.Found("billing", 2, matched: ["postcode"]),
            run.Found("logs", 0),
            run.Approve(),
        };

        var written = JsonSerializer.Serialize(decisions.Select(d => new { d.Audit, Effects = d.Effects.Select(e => (object)e) }), WorkflowJson.Options)
            + JsonSerializer.Serialize(run.Request.Progress, WorkflowJson.Options);
        foreach (var value in new[] { Phone.Value, Postcode.Value, Account.Value, "7700", "EC1A" })
        {
            Assert.DoesNotContain(value, written, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static GivenDataPoint Point(string name, string typed) =>
        new(name, name, GivenDataPoint.Comparable(typed), $"hmac-sha256:{name}0123456789abcdef");

    private static IdentityVerified Verified(params GivenDataPoint[] points) => Verified("verify-nonce-1", points);

    private static IdentityVerified Verified(string nonce, params GivenDataPoint[] points) =>
        new("requester", "email_link", nonce) { DataPoints = points };

    private static SignedDeclaration Signed(DeciderHarness run) => new(Declaration, "Ada Lovelace", run.Now);

    /// <summary>A Californian access request (specific pieces) verified with three details and the declaration: discovery pending.</summary>
    private static DeciderHarness SpecificPieces()
    {
        var run = DeciderHarness.For(Jurisdiction.UsCa, type: RequestType.Access);
        run.Submit();
        run.Apply(Verified(Phone, Postcode, Account) with { Declaration = Signed(run) });
        return run;
    }

    /// <summary>A UK erasure whose operator asks for two matched details: verified with two, discovery pending.</summary>
    private static DeciderHarness GdprWithDetails()
    {
        var settings = new WorkflowSettings { Verification = VerificationPolicy.Default.With(Jurisdiction.UK, RequestType.Erasure, new VerificationLevel(2, false)) };
        var run = DeciderHarness.For(Jurisdiction.UK, settings: settings);
        run.Submit();
        run.Apply(Verified(Phone, Postcode));
        return run;
    }
}
