using System.Text.RegularExpressions;
using DataRights.Core.Requests;

namespace DataRights.Core.Retention;

/// <summary>
/// The legal wording of a kept-back record's basis, per the request's jurisdiction: the reason as registered
/// (in plain words) followed by the article of the law the requester relies on that allows the exception, such
/// as "UK GDPR Art. 17(3)(b)" for a UK requester, "EU GDPR Art. 17(3)(b)" for an EU one and
/// "Cal. Civ. Code §1798.105(d)" for a Californian. Written from the statutes' text; have counsel check them
/// before relying on them.
/// </summary>
public static partial class ErasureExceptions
{
    /// <summary>The grounds as registrations name them.</summary>
    public static readonly IReadOnlyList<string> GroundNames = ["legal-obligation", "legal-claims"];

    /// <summary>Parses a registration's <c>ground</c>; null or empty is <see cref="ErasureGround.LegalObligation"/>.</summary>
    public static bool TryParseGround(string? text, out ErasureGround ground)
    {
        ground = ErasureGround.LegalObligation;
        switch (text)
        {
            case null or "" or "legal-obligation":
                return true;
            case "legal-claims":
                ground = ErasureGround.LegalClaims;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The ground a category relies on (an unknown or absent one: a legal obligation, as validation allows no other).</summary>
    public static ErasureGround GroundOf(Sources.Registry.CategoryPolicy category) =>
        TryParseGround(category.Ground, out var ground) ? ground : ErasureGround.LegalObligation;

    /// <summary>The article allowing the exception under the jurisdiction's law; null where none is cited (other jurisdictions).</summary>
    public static string? Citation(Jurisdiction jurisdiction, ErasureGround ground) => (jurisdiction, ground) switch
    {
        (Jurisdiction.UK, ErasureGround.LegalObligation) => "UK GDPR Art. 17(3)(b)",
        (Jurisdiction.UK, ErasureGround.LegalClaims) => "UK GDPR Art. 17(3)(e)",
        (Jurisdiction.EU, ErasureGround.LegalObligation) => "EU GDPR Art. 17(3)(b)",
        (Jurisdiction.EU, ErasureGround.LegalClaims) => "EU GDPR Art. 17(3)(e)",
        (Jurisdiction.UsCa, ErasureGround.LegalObligation) => "Cal. Civ. Code §1798.105(d)",
        (Jurisdiction.UsCa, ErasureGround.LegalClaims) => "Cal. Civ. Code §1798.145(a)",
        (Jurisdiction.BR, ErasureGround.LegalObligation) => "LGPD Art. 16, I",
        (Jurisdiction.BR, ErasureGround.LegalClaims) => "LGPD Art. 7, VI",
        (Jurisdiction.IN, ErasureGround.LegalObligation) => "DPDP Act 2023, s. 12(3)",
        (Jurisdiction.IN, ErasureGround.LegalClaims) => "DPDP Act 2023, s. 17(1)(a)",
        _ => null,
    };

    /// <summary>
    /// The basis as the requester reads it: the reason, then the article of their law in brackets
    /// ("UK tax law requires invoices to be kept 7 years (EU GDPR Art. 17(3)(b))"). A data-protection article
    /// already written into the reason (registrations made before the article was cited per jurisdiction, or a
    /// source's own answer) is left out, so a requester never reads another jurisdiction's law.
    /// </summary>
    public static string Cite(string basis, ErasureGround ground, Jurisdiction jurisdiction)
    {
        var reason = Reason(basis);
        return Citation(jurisdiction, ground) is { } citation ? $"{reason} ({citation})" : reason;
    }

    /// <summary>The reason alone: <paramref name="basis"/> without the parts that cite a data-protection article.</summary>
    public static string Reason(string basis)
    {
        var parts = basis.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(p => !ArticleOnly().IsMatch(p)).ToList();
        return parts.Count == 0 ? basis.Trim() : string.Join("; ", parts);
    }

    // "UK GDPR Art. 17(3)(b)", "GDPR Art. 17(3)(e)", "Cal. Civ. Code §1798.105(d)(8)", "CCPA §1798.105(d)", "LGPD Art. 16, I".
    [GeneratedRegex(@"^((UK|EU)\s+)?GDPR\s+Art(icle|\.)?\s*17\(3\)(\([a-e]\))?\.?$|^(Cal\.\s*Civ\.\s*Code|CCPA|CPRA)\s*§\s*1798\.\d+(\([a-z0-9]+\))*\.?$|^LGPD\s+Art\.\s*\d+(,\s*[IVX]+)?\.?$|^DPDP\s+Act(\s+2023)?,?\s*s\.\s*\d+(\(\d+\))?(\([a-z]\))?\.?$", RegexOptions.IgnoreCase)]
    private static partial Regex ArticleOnly();
}
