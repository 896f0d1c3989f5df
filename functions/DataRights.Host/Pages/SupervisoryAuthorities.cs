using DataRights.Core.Requests;
using DataRights.Host.Hosting;

namespace DataRights.Host.Pages;

/// <summary>Who a requester can complain to, per jurisdiction (<c>DataRights:SupervisoryAuthorities</c> overrides each).</summary>
public static class SupervisoryAuthorities
{
    private static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["UK"] = "the Information Commissioner's Office (ICO): ico.org.uk/make-a-complaint, 0303 123 1113",
        ["EU"] = "the data protection authority of the country where you live or work",
        ["US-CA"] = "the California Privacy Protection Agency (cppa.ca.gov) or the California Attorney General",
        ["BR"] = "the ANPD (Autoridade Nacional de Proteção de Dados)",
        ["IN"] = "the Data Protection Board of India",
        ["OTHER"] = "your data protection authority",
    };

    public static string For(DataRightsOptions options, Jurisdiction jurisdiction) =>
        options.SupervisoryAuthorities.TryGetValue(jurisdiction.Name(), out var configured) ? configured : Defaults[jurisdiction.Name()];
}
