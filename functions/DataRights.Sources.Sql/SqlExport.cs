using System.Data.Common;
using System.Globalization;
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
                values[i] = reader.IsDBNull(i) ? null : Portable(reader.GetValue(i));
            }

            await sink.WriteRowAsync(values, cancellationToken);
            rows++;
        }

        return rows;
    }

    // Text, numbers and booleans pass as they are; binary and date/time values (PostgreSQL's) become ISO 8601 or Base64 text.
    private static object Portable(object value) => value switch
    {
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime { TimeOfDay.Ticks: 0, Kind: DateTimeKind.Unspecified } date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dateTime => dateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
        DateTimeOffset offset => offset.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Guid id => id.ToString(),
        _ => value,
    };
}
