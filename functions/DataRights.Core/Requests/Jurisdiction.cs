namespace DataRights.Core.Requests;

/// <summary>The legal regime a request is answered under; it decides the statutory clock.</summary>
public enum Jurisdiction
{
    UK,
    EU,
    UsCa,
    BR,
    IN,
    Other,
}
