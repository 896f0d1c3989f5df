using DataRights.Core.Requests;
using DataRights.Core.Retention;

namespace DataRights.Core.Tests.Retention;

public sealed class ErasureExceptionsTests
{
    private const string Reason = "UK tax law requires invoices to be kept (we keep them 7 years)";

    [Theory]
    [InlineData(Jurisdiction.UK, ErasureGround.LegalObligation, Reason + " (UK GDPR Art. 17(3)(b))")]
    [InlineData(Jurisdiction.EU, ErasureGround.LegalObligation, Reason + " (EU GDPR Art. 17(3)(b))")]
    [InlineData(Jurisdiction.UsCa, ErasureGround.LegalObligation, Reason + " (Cal. Civ. Code §1798.105(d))")]
    [InlineData(Jurisdiction.BR, ErasureGround.LegalObligation, Reason + " (LGPD Art. 16, I)")]
    [InlineData(Jurisdiction.IN, ErasureGround.LegalObligation, Reason + " (DPDP Act 2023, s. 12(3))")]
    [InlineData(Jurisdiction.Other, ErasureGround.LegalObligation, Reason)]
    [InlineData(Jurisdiction.UK, ErasureGround.LegalClaims, Reason + " (UK GDPR Art. 17(3)(e))")]
    [InlineData(Jurisdiction.EU, ErasureGround.LegalClaims, Reason + " (EU GDPR Art. 17(3)(e))")]
    [InlineData(Jurisdiction.UsCa, ErasureGround.LegalClaims, Reason + " (Cal. Civ. Code §1798.145(a))")]
    public void Cite_EachJurisdiction_CitesItsOwnLaw(Jurisdiction jurisdiction, ErasureGround ground, string expected) =>
        Assert.Equal(expected, ErasureExceptions.Cite(Reason, ground, jurisdiction));

    [Theory]
    [InlineData(Reason + "; UK GDPR Art. 17(3)(b)")]
    [InlineData(Reason + "; GDPR Art. 17(3)(b)")]
    [InlineData(Reason + "; Cal. Civ. Code §1798.105(d)(8)")]
    [InlineData(Reason)]
    public void Cite_BasisThatAlreadyCitesAnArticle_CitesOnlyTheRequestersLaw(string basis)
    {
        var cited = ErasureExceptions.Cite(basis, ErasureGround.LegalObligation, Jurisdiction.EU);

        Assert.Equal(Reason + " (EU GDPR Art. 17(3)(b))", cited);
        Assert.DoesNotContain("UK GDPR", cited, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_BasisThatIsOnlyAnArticle_KeepsIt() =>
        Assert.Equal("UK GDPR Art. 17(3)(b)", ErasureExceptions.Reason("UK GDPR Art. 17(3)(b)"));

    [Fact]
    public void Reason_SemicolonsInTheReason_AreKept() =>
        Assert.Equal("Companies Act 2006; HMRC rules", ErasureExceptions.Reason("Companies Act 2006; HMRC rules; UK GDPR Art. 17(3)(b)"));
}
