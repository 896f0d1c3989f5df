using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace DataRights.Host.Pages;

/// <summary>Markup we wrote ourselves. Anything else put into a page goes through the encoder.</summary>
public readonly record struct HtmlString(string Value)
{
    public static readonly HtmlString Empty = new(string.Empty);

    public override string ToString() => Value;
}

/// <summary>
/// <c>Html.Of($"&lt;p&gt;{name}&lt;/p&gt;")</c> encodes every interpolated value unless it is an
/// <see cref="HtmlString"/>, so escaping is the default and cannot be forgotten.
/// </summary>
public static class Html
{
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static HtmlString Of(ref HtmlBuilder builder) => new(builder.ToStringAndClear());

    public static HtmlString Join(IEnumerable<HtmlString> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static HtmlString When(bool condition, HtmlString content) => condition ? content : HtmlString.Empty;

    public static string Encode(string? value) => Encoder.Encode(value ?? string.Empty);
}

[InterpolatedStringHandler]
public ref struct HtmlBuilder
{
    private StringBuilder? _builder;

    public HtmlBuilder(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + (formattedCount * 16));

    public readonly void AppendLiteral(string value) => _builder!.Append(value);

    public readonly void AppendFormatted(HtmlString value) => _builder!.Append(value.Value);

    public readonly void AppendFormatted(string? value) => _builder!.Append(Html.Encode(value));

    public readonly void AppendFormatted<T>(T value) =>
        _builder!.Append(Html.Encode(Convert.ToString(value, CultureInfo.InvariantCulture)));

    public readonly void AppendFormatted<T>(T value, string? format)
        where T : IFormattable =>
        _builder!.Append(Html.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    public string ToStringAndClear()
    {
        var text = _builder!.ToString();
        _builder = null;
        return text;
    }
}
