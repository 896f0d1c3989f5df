namespace DataRights.Core.Requests;

/// <summary>The right a data subject exercises (UK/EU GDPR Art. 15 to 21, CCPA equivalents).</summary>
public enum RequestType
{
    Access,
    Erasure,
    Rectification,
    Restriction,
    Objection,
    Portability,
}
