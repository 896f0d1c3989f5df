namespace DataRights.Core.Sources;

/// <summary>The sources a request fans out to, and the connector for each.</summary>
public interface IDataSourceRegistry
{
    IReadOnlyList<DataSourceDescriptor> ActiveSources();

    /// <summary>The connector of a source; null when the source was removed since the request started.</summary>
    IDataSourceConnector? Connector(string sourceKey);
}
