using DataRights.Core.Requests;

namespace DataRights.Core.Verification;

/// <summary>
/// The verification level of each right in each jurisdiction, what happens when a request falls short of it, and how
/// often a person may try. The defaults follow the CCPA regulations (§7060-7062) and UK/EU GDPR Art. 12(6); an
/// operator changes them in configuration.
/// </summary>
public sealed record VerificationPolicy
{
    /// <summary>
    /// The default levels. California: a request for specific pieces (access, portability) needs three matched
    /// details and a declaration under penalty of perjury; deletion and correction two matched details (a reasonable
    /// degree of certainty; raise it where the data is sensitive). Opt-outs (objection, restriction) need no more than
    /// the email. UK, EU and elsewhere: control of the email address, proportionate to most requests.
    /// </summary>
    public static IReadOnlyDictionary<(Jurisdiction, RequestType), VerificationLevel> DefaultLevels { get; } =
        new Dictionary<(Jurisdiction, RequestType), VerificationLevel>
        {
            [(Jurisdiction.UsCa, RequestType.Access)] = new(3, true),
            [(Jurisdiction.UsCa, RequestType.Portability)] = new(3, true),
            [(Jurisdiction.UsCa, RequestType.Erasure)] = new(2, false),
            [(Jurisdiction.UsCa, RequestType.Rectification)] = new(2, false),
        };

    /// <summary>The declaration people affirm by default: under penalty of perjury in California, a plain one elsewhere.</summary>
    public static IReadOnlyDictionary<Jurisdiction, string> DefaultDeclarations { get; } = new Dictionary<Jurisdiction, string>
    {
        [Jurisdiction.UsCa] = "I declare under penalty of perjury under the laws of the State of California that I am the consumer whose personal information is the subject of this request.",
    };

    /// <summary>The defaults (declared after the tables it is made of: static initialisers run in order).</summary>
    public static VerificationPolicy Default { get; } = new();

    public const string PlainDeclaration = "I declare that I am the person whose personal data this request is about, and that the details I have given are true.";

    /// <summary>Levels by jurisdiction and right; a pair not listed needs only control of the email address.</summary>
    public IReadOnlyDictionary<(Jurisdiction, RequestType), VerificationLevel> Levels { get; init; } = DefaultLevels;

    /// <summary>
    /// California: a request for specific pieces that falls short is still answered with the categories of data we
    /// hold when this many details matched (a reasonable degree of certainty, §7062(b)).
    /// </summary>
    public int CategoriesDataPoints { get; init; } = 2;

    /// <summary>How many times the details may be given for one request (UK and EU: the first time, and once more when asked).</summary>
    public int MaxAttempts { get; init; } = 2;

    public IReadOnlyDictionary<Jurisdiction, string> Declarations { get; init; } = DefaultDeclarations;

    /// <summary>
    /// When the details given fall short of the level while a source could not be searched (its search failed after its
    /// last retry), the match is not decided: every source is searched again after <see cref="SearchAgainAfter"/>, up to
    /// this many times, before the shortfall counts against the person (a refusal in California, an attempt elsewhere).
    /// </summary>
    public int SearchesAgain { get; init; } = 3;

    /// <summary>How long to wait before searching again when a source could not be searched (<see cref="SearchesAgain"/>).</summary>
    public TimeSpan SearchAgainAfter { get; init; } = TimeSpan.FromHours(1);

    /// <summary>What the verification page asks: the request's level, less the details already given with the submission.</summary>
    public VerificationLevel AskedOnPage(DataSubjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var level = For(request.Jurisdiction, request.Type);
        return request.DataPoints is { } given && given.Count >= level.DataPoints ? level with { DataPoints = 0 } : level;
    }

    public VerificationLevel For(Jurisdiction jurisdiction, RequestType type) =>
        Levels.TryGetValue((jurisdiction, type), out var level) ? level : VerificationLevel.EmailOnly;

    public string DeclarationText(Jurisdiction jurisdiction) => Declarations.GetValueOrDefault(jurisdiction) ?? PlainDeclaration;

    /// <summary>What happens when matching falls short: California's rules, or (elsewhere) one more request for details, then a refusal.</summary>
    public static bool FollowsCcpa(Jurisdiction jurisdiction) => jurisdiction == Jurisdiction.UsCa;

    /// <summary>This policy with one level changed (configuration overrides, tests).</summary>
    public VerificationPolicy With(Jurisdiction jurisdiction, RequestType type, VerificationLevel level) =>
        this with { Levels = new Dictionary<(Jurisdiction, RequestType), VerificationLevel>(Levels) { [(jurisdiction, type)] = level } };
}
