using System.Text.Json;
using DataRights.Core.Sources;

namespace DataRights.Host.Exports;

/// <summary>
/// Writes one source's export as sealed JSON lines: a header line per table
/// (<c>{"table","category","provided","columns"}</c>) followed by a line per row (<c>{"row":[...]}</c>).
/// </summary>
public sealed class ExportPartSink : IExportSink, IAsyncDisposable
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private int _columns = -1;

    public ExportPartSink(Stream sealedStream)
    {
        _stream = sealedStream;
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { SkipValidation = false });
    }

    public int Rows { get; private set; }

    public async ValueTask BeginTableAsync(string category, string table, IReadOnlyList<string> columns, bool providedByPerson, CancellationToken cancellationToken)
    {
        _json.WriteStartObject();
        _json.WriteString("table", table);
        _json.WriteString("category", category);
        _json.WriteBoolean("provided", providedByPerson);
        _json.WriteStartArray("columns");
        foreach (var column in columns)
        {
            _json.WriteStringValue(column);
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _columns = columns.Count;
        await EndLineAsync(cancellationToken);
    }

    public async ValueTask WriteRowAsync(IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        if (_columns < 0 || values.Count != _columns)
        {
            throw new InvalidOperationException("A row must follow its table's header and have one value per column.");
        }

        _json.WriteStartObject();
        _json.WriteStartArray("row");
        foreach (var value in values)
        {
            ExportValues.Write(_json, value);
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        Rows++;
        await EndLineAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _stream.DisposeAsync();
    }

    private async ValueTask EndLineAsync(CancellationToken cancellationToken)
    {
        await _json.FlushAsync(cancellationToken);
        _json.Reset();
        await _stream.WriteAsync(Newline, cancellationToken);
    }
}

/// <summary>How export values are written: numbers and booleans as such, everything else as text.</summary>
public static class ExportValues
{
    public static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long or int or short or byte:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double d:
                json.WriteNumberValue(d);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
