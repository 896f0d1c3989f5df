namespace DataRights.Host.Verification;

/// <summary>A verification level in configuration: how many given details must match, and whether a signed declaration is needed.</summary>
public sealed class LevelOptions
{
    public int DataPoints { get; set; }

    public bool Declaration { get; set; }
}
