using System.Globalization;

namespace DataRights.Core.Text;

/// <summary>
/// A pragmatic address check (RFC 5321 lengths, dot-atom local part, LDH domain labels) and the
/// normal form we store and match on: trimmed, lower-case, the domain in its ASCII (punycode) form.
/// </summary>
public static class EmailAddress
{
    private const string LocalSpecials = "!#$%&'*+/=?^_`{|}~.-";

    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(input))
        {
            return false;
        }

        var value = input.Trim();
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.IndexOf('@') != at)
        {
            return false;
        }

        var local = value[..at];
        string domain;
        try
        {
            domain = new IdnMapping().GetAscii(value[(at + 1)..]);
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (!IsLocalPart(local) || !IsDomain(domain))
        {
            return false;
        }

        var candidate = (local + "@" + domain).ToLowerInvariant();
        if (candidate.Length > 254)
        {
            return false;
        }

        normalized = candidate;
        return true;
    }

    private static bool IsLocalPart(string local) =>
        local.Length <= 64
        && local[0] != '.'
        && local[^1] != '.'
        && !local.Contains("..", StringComparison.Ordinal)
        && local.All(c => char.IsAsciiLetterOrDigit(c) || LocalSpecials.Contains(c, StringComparison.Ordinal));

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        if (labels.Length < 2 || domain.Length > 253)
        {
            return false;
        }

        var tld = labels[^1];
        return labels.All(IsLabel) && (tld.All(char.IsAsciiLetter) || tld.StartsWith("xn--", StringComparison.OrdinalIgnoreCase)) && tld.Length >= 2;
    }

    private static bool IsLabel(string label) =>
        label.Length is >= 1 and <= 63
        && label[0] != '-'
        && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
