namespace DataRights.Core.Workflow;

/// <summary>The steps of a request that an emailed link can act on.</summary>
public enum ActionStepKind
{
    /// <summary>The requester confirms the request is theirs.</summary>
    Verification,

    /// <summary>The requester answers the question asked in an approval round.</summary>
    Information,

    /// <summary>An approver decides, in one approval round.</summary>
    Approval,

    /// <summary>A manual source's owner reports what a search found.</summary>
    Discover,

    /// <summary>A manual source's owner reports what they carried out.</summary>
    Execute,
}
