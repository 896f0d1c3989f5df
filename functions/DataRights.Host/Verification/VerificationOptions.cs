using System.ComponentModel.DataAnnotations;
using DataRights.Core.Requests;
using DataRights.Core.Verification;

namespace DataRights.Host.Verification;

/// <summary>
/// <c>DataRights:Verification</c>: how sure of a requester's identity each right must make us (levels per jurisdiction
/// and right), the details the verification page may ask for, the declaration texts, and how often people may try.
/// The defaults are <see cref="VerificationPolicy.Default"/>'s.
/// </summary>
public sealed class VerificationOptions
{
    public const string Section = "DataRights:Verification";

    /// <summary>
    /// The key of the keyed hashes (HMAC-SHA256) that stand for given details in the audit trail, as a reference:
    /// <c>env:NAME</c> holding at least 32 bytes in base64. Empty: a key file in the data folder.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>
    /// The details the page may ask for, by name. Empty: phone, postcode, accountNumber and lastInvoiceAmount. Not a
    /// default in the dictionary: the binder would add configured ones to the defaults, which could not be taken away.
    /// </summary>
    public Dictionary<string, DataPointOptions> DataPoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Levels by jurisdiction (UK, EU, US-CA, BR, IN, OTHER) and right (access, erasure...); pairs not given keep the defaults.</summary>
    public Dictionary<string, Dictionary<string, LevelOptions>> Levels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The declaration text per jurisdiction; those not given keep the defaults.</summary>
    public Dictionary<string, string> Declarations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>California: how many details must match for a failed request for specific pieces to be answered with categories.</summary>
    [Range(0, 10)]
    public int CategoriesDataPoints { get; set; } = VerificationPolicy.Default.CategoriesDataPoints;

    /// <summary>How many times a requester may give their details for one request (the first time and, in the UK and EU, once more when asked).</summary>
    [Range(1, 5)]
    public int MaxAttemptsPerRequest { get; set; } = VerificationPolicy.Default.MaxAttempts;

    /// <summary>When the details fall short while a system could not be searched: how many times every system is searched again before it counts against the person.</summary>
    [Range(0, 10)]
    public int SearchesAgain { get; set; } = VerificationPolicy.Default.SearchesAgain;

    /// <summary>How long to wait before each such search again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SearchAgainAfter { get; set; } = VerificationPolicy.Default.SearchAgainAfter;

    /// <summary>How many times details may be given from one email address within <see cref="AttemptsPerAddressWindow"/>, across its requests.</summary>
    [Range(1, 100)]
    public int AttemptsPerAddress { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan AttemptsPerAddressWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The details offered when none are configured.</summary>
    public static IReadOnlyList<DataPointDefinition> DefaultDataPoints { get; } =
    [
        new("phone", "Phone number", "phone"),
        new("postcode", "Postcode or ZIP code", "postcode"),
        new("accountNumber", "Account number", "account_id"),
        new("lastInvoiceAmount", "Amount of your last invoice", "last_invoice_amount"),
    ];

    public IReadOnlyList<DataPointDefinition> Definitions() =>
        DataPoints.Count == 0 ? DefaultDataPoints : [.. DataPoints.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new DataPointDefinition(p.Key, p.Value.Label.Trim(), p.Value.Field.Trim()))];

    /// <summary>The policy the decider applies: the defaults with the configured levels and texts over them (checked by <see cref="VerificationOptionsValidator"/>).</summary>
    public VerificationPolicy ToPolicy()
    {
        var levels = new Dictionary<(Jurisdiction, RequestType), VerificationLevel>(VerificationPolicy.DefaultLevels);
        foreach (var (jurisdiction, byType) in Levels)
        {
            foreach (var (type, level) in byType)
            {
                if (WireNames.TryParseJurisdiction(jurisdiction, out var j) && WireNames.TryParseType(type, out var t))
                {
                    levels[(j, t)] = new VerificationLevel(level.DataPoints, level.Declaration);
                }
            }
        }

        var declarations = new Dictionary<Jurisdiction, string>(VerificationPolicy.DefaultDeclarations);
        foreach (var (jurisdiction, text) in Declarations)
        {
            if (WireNames.TryParseJurisdiction(jurisdiction, out var j) && !string.IsNullOrWhiteSpace(text))
            {
                declarations[j] = text.Trim();
            }
        }

        return VerificationPolicy.Default with
        {
            Levels = levels,
            Declarations = declarations,
            CategoriesDataPoints = CategoriesDataPoints,
            MaxAttempts = MaxAttemptsPerRequest,
            SearchesAgain = SearchesAgain,
            SearchAgainAfter = SearchAgainAfter,
        };
    }
}
