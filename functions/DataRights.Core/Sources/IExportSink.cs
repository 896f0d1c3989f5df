namespace DataRights.Core.Sources;

/// <summary>
/// Where a connector streams a person's records for an access or portability export: table by table,
/// row by row, never all in memory. Values are text, numbers or null.
/// </summary>
public interface IExportSink
{
    /// <summary>
    /// Starts a table of <paramref name="category"/>; rows written next belong to it until the next table.
    /// <paramref name="providedByPerson"/> is true when the person gave us this data themselves (it goes into the portable copy too).
    /// </summary>
    ValueTask BeginTableAsync(string category, string table, IReadOnlyList<string> columns, bool providedByPerson, CancellationToken cancellationToken);

    ValueTask WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken);
}
