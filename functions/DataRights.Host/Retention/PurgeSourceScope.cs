using DataRights.Core.Retention;
using DataRights.Core.Sources;

namespace DataRights.Host.Retention;

/// <summary>One source of a stored run, read afresh: the run's context, the source and the run's report lines so far.</summary>
internal sealed record PurgeSourceScope(PurgeContext Context, DataSourceDescriptor Source, Dictionary<(string, string), PurgeRow> Rows);
