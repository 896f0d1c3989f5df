using System.Globalization;
using System.Text.Json;

namespace DataRights.Storage.AzureTables.Rest;

/// <summary>
/// A property of a type the adapter's own tables never use (<c>Edm.DateTime</c>, <c>Edm.Guid</c>, <c>Edm.Binary</c>,
/// <c>Edm.Double</c>), kept as the service sent it: its type annotation and its text. Firms' own tables hold these,
/// and a row read and written back must keep them as they were.
/// </summary>
internal sealed record EdmValue(string Type, string Text)
{
    /// <summary>A double as a number; anything else as its text (ISO 8601 dates, GUIDs, Base64).</summary>
    public object Portable => Type == "Edm.Double" && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : Text;

    public override string ToString() => Text;

    public void WriteJson(Utf8JsonWriter writer, string name)
    {
        writer.WriteString(name + "@odata.type", Type);
        if (Type == "Edm.Double" && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(Text);
        }
        else
        {
            writer.WriteString(name, Text);
        }
    }
}
