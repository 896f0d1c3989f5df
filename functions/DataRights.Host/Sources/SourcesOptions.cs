using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Sources;

/// <summary>
/// <c>DataRights:Sources</c>: the data sources requests fan out to, each a full registration (how to
/// reach it, what it holds, what erasure does to each category). None configured: the demo sources
/// in the data folder (a CRM and a billing system).
/// </summary>
public sealed class SourcesOptions
{
    public const string Section = "DataRights:Sources";

    public List<SourceRegistration> Registered { get; set; } = [];
}
