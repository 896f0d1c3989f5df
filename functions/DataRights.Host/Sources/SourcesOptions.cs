using System.ComponentModel.DataAnnotations;

namespace DataRights.Host.Sources;

/// <summary><c>DataRights:Sources</c>: the data sources a request fans out to (the connectors issue adds the staff API and more types).</summary>
public sealed class SourcesOptions
{
    public const string Section = "DataRights:Sources";

    /// <summary>Registered sources; empty: the demo CRM database in the data folder (stand-alone demo).</summary>
    public List<SourceRegistration> Registered { get; set; } = [];
}

public sealed class SourceRegistration
{
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,39}$", ErrorMessage = "Key must be 1 to 40 lower-case letters, digits or hyphens.")]
    public string Key { get; set; } = string.Empty;

    [Required]
    [StringLength(100)]
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>Connector type: <c>demo-crm</c> (a SQLite demo database) for now.</summary>
    [Required]
    public string Type { get; set; } = string.Empty;

    /// <summary><c>read</c> or <c>read-write</c>.</summary>
    [Required]
    [RegularExpression("^(read|read-write)$", ErrorMessage = "Access must be 'read' or 'read-write'.")]
    public string Access { get; set; } = "read-write";

    [Required]
    public string Region { get; set; } = "eu-west";
}
