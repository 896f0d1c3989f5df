namespace DataRights.Core.Retention;

/// <summary>
/// How long one category of personal data is kept in a region: <see cref="MaxAge"/> (ISO 8601, such as
/// <c>P6M</c>), counted from <see cref="CountsFrom"/> (<see cref="RetentionEvents"/>), and why
/// (<see cref="Basis"/>: the legal basis or business reason, as told to regulators).
/// </summary>
public sealed record RetentionRule
{
    /// <summary>Dotted category key, as in source registrations (<c>telephony.cdr</c>).</summary>
    public string Category { get; init; } = string.Empty;

    public string MaxAge { get; init; } = string.Empty;

    public string CountsFrom { get; init; } = string.Empty;

    public string Basis { get; init; } = string.Empty;
}
