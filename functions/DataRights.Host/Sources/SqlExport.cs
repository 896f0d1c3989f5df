using System.Data.Common;
using DataRights.Core.Sources;

namespace DataRights.Host.Sources;

/// <summary>Streams a query's rows into an export sink as one table, row by row.</summary>
internal static class SqlExport
{
    public static async Task<int> CopyAsync(DbCommand command, IExportSink sink, string category, string table, bool provided, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        await sink.BeginTableAsync(category, table, columns, provided, cancellationToken);
        var rows = 0;
        var values = new object?[columns.Count];
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is byte[] bytes ? Convert.ToBase64String(bytes) : reader.GetValue(i);
            }

            await sink.WriteRowAsync(values, cancellationToken);
            rows++;
        }

        return rows;
    }
}
