namespace DataRights.Core.Sources;

/// <summary>
/// A registered data source as the workflow sees it: which one, whether it may be changed, and whether
/// its data is shared with recipients who must be told of changes (Art. 19).
/// </summary>
public sealed record DataSourceDescriptor(string Key, string DisplayName, SourceAccess Access, string Region, bool HasRecipients = false);

/// <summary>A read source is searched and exported from, never asked to erase or correct.</summary>
public enum SourceAccess
{
    Read,
    ReadWrite,
}
