using System.Text.RegularExpressions;

namespace DataRights.Integration.Tests.Infrastructure;

/// <summary>Reads what a browser would submit back from our HTML pages.</summary>
public static partial class Forms
{
    /// <summary>The anti-forgery token in a page's form (the first, when there are several).</summary>
    public static string CsrfToken(string html) => CsrfField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    public static partial Regex CsrfField();
}
