namespace DataRights.Core.Requests;

/// <summary>
/// The law that makes a controller tell those it shared data with of a correction, an erasure or a restriction, per
/// the requester's jurisdiction: GDPR Art. 19 in the UK and the EU, LGPD Art. 18 §6 in Brazil; in California and India
/// the Acts oblige the business to have its service providers or processors act too, without a section as general,
/// so the Act is named; elsewhere, data protection law.
/// </summary>
public static class RecipientNotification
{
    /// <summary>The law as a sentence names it: "Article 19 of the UK GDPR".</summary>
    public static string Law(Jurisdiction jurisdiction) => jurisdiction switch
    {
        Jurisdiction.UK => "Article 19 of the UK GDPR",
        Jurisdiction.EU => "Article 19 of the GDPR",
        Jurisdiction.BR => "Article 18, §6 of the LGPD (Law 13.709/2018)",
        Jurisdiction.UsCa => "the California Consumer Privacy Act",
        Jurisdiction.IN => "the Digital Personal Data Protection Act 2023",
        _ => "data protection law",
    };

    /// <summary>The law as a heading cites it: "UK GDPR Art. 19".</summary>
    public static string Cite(Jurisdiction jurisdiction) => jurisdiction switch
    {
        Jurisdiction.UK => "UK GDPR Art. 19",
        Jurisdiction.EU => "EU GDPR Art. 19",
        Jurisdiction.BR => "LGPD Art. 18 §6",
        Jurisdiction.UsCa => "CCPA",
        Jurisdiction.IN => "DPDP Act",
        _ => "data protection law",
    };
}
