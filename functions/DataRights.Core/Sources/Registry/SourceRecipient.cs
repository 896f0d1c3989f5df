using DataRights.Core.Text;

namespace DataRights.Core.Sources.Registry;

/// <summary>
/// A recipient of a source's data as registered: a name, optionally with the address that takes
/// Art. 19 notices in angle brackets (<c>Payments Ltd &lt;privacy@payments.example&gt;</c>).
/// </summary>
public sealed record SourceRecipient(string Name, string? Email)
{
    public static SourceRecipient Parse(string entry)
    {
        var text = entry.Trim();
        var open = text.LastIndexOf('<');
        if (open > 0 && text.EndsWith('>') && EmailAddress.TryNormalize(text[(open + 1)..^1], out var email))
        {
            return new SourceRecipient(text[..open].Trim(), email);
        }

        return new SourceRecipient(text, null);
    }
}
