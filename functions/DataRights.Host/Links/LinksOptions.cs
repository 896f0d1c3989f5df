namespace DataRights.Host.Links;

/// <summary><c>DataRights:Links</c>: how much an emailed staff link is trusted on its own.</summary>
public sealed class LinksOptions
{
    public const string Section = "DataRights:Links";

    /// <summary>
    /// When on, a decision posted from an emailed approval page is only taken from a signed-in staff member in the
    /// Approver (or Admin) role who is the person the link was sent to: the link alone no longer decides.
    /// </summary>
    public bool ApproverSignInRequired { get; set; }
}
