namespace DataRights.Host.Links;

/// <summary>The purposes a signed link can have; a token for one purpose is refused for every other.</summary>
public static class LinkPurposes
{
    public const string Verify = "verify";
    public const string Approve = "approve";
    public const string Inform = "inform";
    public const string Task = "task";

    /// <summary>The address a source system posts a later answer to (HTTP 202 then callback).</summary>
    public const string Callback = "callback";

    /// <summary>The requester's single-use link to their export.</summary>
    public const string Download = "download";

    /// <summary>A manual source's owner confirming a retention purge done by hand (bound to a purge run, source and category).</summary>
    public const string PurgeTask = "purge-task";
}
