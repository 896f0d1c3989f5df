using DataRights.Core.Requests;

namespace DataRights.Host.StaffConsole.Evidence;

/// <summary>The right exercised and the law it rests on, as a regulator names them. Have counsel check the citations.</summary>
internal static class EvidenceRights
{
    /// <summary>The right, with its article where the jurisdiction's law is known ("Right to erasure (UK GDPR Art. 17)").</summary>
    public static string Right(RequestType type, Jurisdiction? jurisdiction)
    {
        var name = type switch
        {
            RequestType.Access => "Right of access",
            RequestType.Erasure => "Right to erasure",
            RequestType.Rectification => "Right to rectification",
            RequestType.Restriction => "Right to restriction of processing",
            RequestType.Objection => "Right to object",
            RequestType.Portability => "Right to data portability",
            _ => EvidenceText.Readable(type.Name()),
        };
        var gdprArticle = type switch
        {
            RequestType.Access => "15",
            RequestType.Rectification => "16",
            RequestType.Erasure => "17",
            RequestType.Restriction => "18",
            RequestType.Portability => "20",
            RequestType.Objection => "21",
            _ => null,
        };
        var citation = jurisdiction switch
        {
            Jurisdiction.UK when gdprArticle is not null => $"UK GDPR Art. {gdprArticle}",
            Jurisdiction.EU when gdprArticle is not null => $"EU GDPR Art. {gdprArticle}",
            Jurisdiction.UsCa => type switch
            {
                RequestType.Access or RequestType.Portability => "Cal. Civ. Code §1798.110",
                RequestType.Erasure => "Cal. Civ. Code §1798.105",
                RequestType.Rectification => "Cal. Civ. Code §1798.106",
                _ => null,
            },
            _ => null,
        };
        return citation is null ? name : $"{name} ({citation})";
    }

    public static string Law(Jurisdiction jurisdiction) => jurisdiction switch
    {
        Jurisdiction.UK => "UK GDPR and the Data Protection Act 2018",
        Jurisdiction.EU => "EU General Data Protection Regulation (Regulation (EU) 2016/679)",
        Jurisdiction.UsCa => "California Consumer Privacy Act as amended by the California Privacy Rights Act (Cal. Civ. Code §1798.100 and following)",
        Jurisdiction.BR => "Lei Geral de Proteção de Dados (LGPD, Law 13.709/2018)",
        Jurisdiction.IN => "Digital Personal Data Protection Act 2023 (India)",
        _ => "No data-protection law assumed: answered under our own policy",
    };
}
