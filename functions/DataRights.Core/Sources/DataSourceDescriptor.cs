namespace DataRights.Core.Sources;

/// <summary>A registered data source as the workflow sees it: which one, and whether it may be changed.</summary>
public sealed record DataSourceDescriptor(string Key, string DisplayName, SourceAccess Access, string Region);

/// <summary>A read source is searched and exported from, never asked to erase or correct.</summary>
public enum SourceAccess
{
    Read,
    ReadWrite,
}
