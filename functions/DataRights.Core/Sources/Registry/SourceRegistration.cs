namespace DataRights.Core.Sources.Registry;

/// <summary>
/// A data source as registered by staff or configuration. Kept apart, as decision 5 of the design
/// asks: how to reach it (<see cref="ConnectorType"/>, <see cref="Connection"/> with secrets only by
/// reference, <see cref="Access"/>, <see cref="Region"/>), what personal data it holds
/// (<see cref="IdentityFields"/>, <see cref="Categories"/>), and what to do with each category
/// (<see cref="CategoryPolicy.Strategy"/>).
/// </summary>
public sealed record SourceRegistration
{
    public string Key { get; init; } = string.Empty;

    public string DisplayName { get; init; } = string.Empty;

    public string ConnectorType { get; init; } = string.Empty;

    /// <summary><c>read</c> or <c>read-write</c>. A read source is never asked to erase.</summary>
    public string Access { get; init; } = string.Empty;

    public string Region { get; init; } = string.Empty;

    /// <summary>Connection settings. Secrets appear only as references: <c>env:NAME</c> or <c>keyvault:NAME</c>.</summary>
    public IReadOnlyDictionary<string, string> Connection { get; init; } = new Dictionary<string, string>();

    /// <summary>Names of connection settings that hold secrets (their values must be references).</summary>
    public IReadOnlyList<string> SecretSettings { get; init; } = [];

    /// <summary>What the source can be searched by: <c>email</c>, <c>phone</c>, <c>account_id</c>, <c>name</c>.</summary>
    public IReadOnlyList<string> IdentityFields { get; init; } = [];

    public IReadOnlyList<CategoryPolicy> Categories { get; init; } = [];

    /// <summary>Why the data is processed (Art. 15(1)(a)), in plain words, for the person's copy of their data.</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>Who the data is disclosed to, such as processors (Art. 15(1)(c), Art. 19).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Where the data came from, when not from the person (Art. 15(1)(g)).</summary>
    public string? Origin { get; init; }

    /// <summary>Automated decision-making using this data, if any (Art. 15(1)(h)); empty means none.</summary>
    public string? AutomatedDecisions { get; init; }
}

/// <summary>One category of personal data in a source, such as <c>billing.invoice</c>, and what erasure does to it.</summary>
public sealed record CategoryPolicy
{
    /// <summary>Categories whose key starts so hold direct marketing data: an objection to direct marketing erases them.</summary>
    public const string MarketingPrefix = "marketing.";

    /// <summary>Dotted key such as <c>contact.email</c>, <c>billing.invoice</c>, <c>telephony.cdr</c>.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>
    /// What the category is called wherever a person reads it (emails, pages, the copy of their data, reports),
    /// such as "Invoices" or "Email address". Required; the key is for machines.
    /// </summary>
    public string DisplayName { get; init; } = string.Empty;

    /// <summary><c>delete</c>, <c>mask</c> or <c>retain</c>.</summary>
    public string Strategy { get; init; } = string.Empty;

    /// <summary>For <c>mask</c>: <c>null</c>, <c>fixed</c> or <c>keyed_hash</c>.</summary>
    public string? Mask { get; init; }

    /// <summary>For <c>mask</c> with <c>fixed</c>: the replacement text.</summary>
    public string? MaskValue { get; init; }

    /// <summary>
    /// For <c>retain</c>: why the law makes or lets us keep it, in plain words (e.g. "UK tax law requires invoices
    /// to be kept 6 years"). The data-protection article that allows the exception is not written here: it is cited
    /// per the request's jurisdiction from <see cref="Ground"/> (see <see cref="Retention.ErasureExceptions"/>).
    /// </summary>
    public string? LegalBasis { get; init; }

    /// <summary>
    /// For <c>retain</c>: the exception to erasure it relies on, <c>legal-obligation</c> (the default) or
    /// <c>legal-claims</c>.
    /// </summary>
    public string? Ground { get; init; }

    /// <summary>For <c>retain</c>: how long, as an ISO 8601 period (<c>P7Y</c>, <c>P6M</c>, <c>P28D</c>).</summary>
    public string? RetentionPeriod { get; init; }

    /// <summary>True when the person gave us this data themselves: it goes into the portable copy (Art. 20).</summary>
    public bool Provided { get; init; }

    /// <summary>
    /// For SQL sources: the parameterised statements for this category, written by the operator and
    /// never built from input: <c>discover</c> (a SELECT returning <c>record_key</c> and, optionally,
    /// <c>record_date</c>), <c>export</c> (a SELECT of the columns the person gets a copy of),
    /// <c>delete</c> and <c>mask</c> (run once per <c>$record_key</c>; a retained category's <c>delete</c>
    /// runs once a record's retention has ended), and <c>rectify.name</c>, <c>rectify.email</c>,
    /// <c>rectify.phone</c>, <c>rectify.address</c> (an UPDATE setting the detail to <c>$value</c> for the
    /// person, run once). Parameters: <c>$email</c>, <c>$account_id</c>, <c>$name</c>,
    /// <c>$record_key</c>, <c>$mask</c>, <c>$value</c>. And <c>purge</c>, the retention purge by age: one
    /// DELETE of at most <c>$batch</c> records dated before <c>$cutoff</c> that spares people under a legal
    /// hold with <c>NOT datarights_held(email column)</c>.
    /// For <c>azure-table</c> sources: property names instead of statements (see
    /// <see cref="SourceRegistrationValidator.AzureTableSettings"/>): <c>table</c>, <c>match</c> (the email property),
    /// <c>date</c>, <c>mask</c> and <c>export</c> (comma-separated), <c>restrict</c>, <c>account</c>, <c>rectify.&lt;field&gt;</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Queries { get; init; } = new Dictionary<string, string>();
}
