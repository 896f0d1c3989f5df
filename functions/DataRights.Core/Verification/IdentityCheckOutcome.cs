namespace DataRights.Core.Verification;

/// <summary>Where the check of the requester's details against our records stands.</summary>
public enum IdentityCheckOutcome
{
    /// <summary>Details given; discovery has not finished matching them yet.</summary>
    Pending,

    /// <summary>Enough details matched (or only a declaration was needed).</summary>
    Passed,

    /// <summary>California: too few matched for specific pieces, enough for categories; the request is answered with categories.</summary>
    Categories,

    /// <summary>Too few matched; the requester was asked for their details once more.</summary>
    AskedAgain,

    /// <summary>Too few matched; the request was refused.</summary>
    Failed,

    /// <summary>Staff verified the person by hand, with a reason.</summary>
    ByStaff,
}
