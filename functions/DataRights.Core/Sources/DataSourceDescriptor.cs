namespace DataRights.Core.Sources;

/// <summary>
/// A registered data source as the workflow sees it: which one, whether it may be changed, and whether
/// its data is shared with recipients who must be told of changes (Art. 19), and what its categories are called.
/// </summary>
public sealed record DataSourceDescriptor(string Key, string DisplayName, SourceAccess Access, string Region, bool HasRecipients = false)
{
    /// <summary>Display names by category key, from the registration.</summary>
    public IReadOnlyDictionary<string, string> CategoryNames { get; init; } = new Dictionary<string, string>();

    /// <summary>What <paramref name="category"/> is called where a person reads it.</summary>
    public string CategoryName(string category) =>
        CategoryNames.TryGetValue(category, out var name) ? name : Registry.CategoryNames.FromKey(category);
}

/// <summary>A read source is searched and exported from, never asked to erase or correct.</summary>
public enum SourceAccess
{
    Read,
    ReadWrite,
}
