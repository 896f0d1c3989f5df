using System.Text.RegularExpressions;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;

namespace DataRights.Core.Retention;

/// <summary>Strict validation of a region's rules, every problem keyed by its path (<c>rules[2].maxAge</c>).</summary>
public static partial class RetentionPolicyValidator
{
    public const int MaxRules = 200;

    public static IReadOnlyDictionary<string, string[]> Validate(IReadOnlyList<RetentionRule>? rules)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Add(string field, string message) => errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

        if (rules is null)
        {
            Add("rules", "Give the list of rules (it may be empty: then nothing is purged in this region).");
            return errors;
        }

        if (rules.Count > MaxRules)
        {
            Add("rules", $"At most {MaxRules} rules per region.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"rules[{i}]";
            var rule = rules[i];
            if (rule is null)
            {
                Add(path, "A rule cannot be empty.");
                continue;
            }

            if (!CategoryPattern().IsMatch(rule.Category ?? string.Empty))
            {
                Add($"{path}.category", "Give a dotted category key, as in source registrations, such as telephony.cdr or billing.invoice.");
            }
            else if (!seen.Add(rule.Category!))
            {
                Add($"{path}.category", $"The category {rule.Category} has two rules; keep one.");
            }

            if (!RetentionEvents.All.Contains(rule.CountsFrom ?? string.Empty))
            {
                Add($"{path}.countsFrom", $"Say what the maximum age counts from: {string.Join(", ", RetentionEvents.All)}.");
            }

            if (!TryParseMaxAge(rule.MaxAge, out var period))
            {
                Add($"{path}.maxAge", "Give the maximum age as an ISO 8601 period of years, months, weeks or days, such as P6M, P28D, P7W or P7Y.");
            }
            else if (period.Years + period.Months + period.Weeks + period.Days == 0 && rule.CountsFrom != RetentionEvents.EndOfCalendarMonthAfterClosure)
            {
                Add($"{path}.maxAge", $"P0D (no time at all) is only allowed when counting from {RetentionEvents.EndOfCalendarMonthAfterClosure}.");
            }

            var basis = rule.Basis?.Trim() ?? string.Empty;
            if (basis.Length is < 10 or > 500 || TextRules.HasForbiddenCharacters(basis, multiLine: false))
            {
                Add($"{path}.basis", "Give the legal basis or business reason for keeping it this long, 10 to 500 characters on one line.");
            }
        }

        return errors;
    }

    /// <summary>An ISO 8601 period (<see cref="RetentionPeriod"/>), or <c>P0D</c>.</summary>
    public static bool TryParseMaxAge(string? text, out RetentionPeriod period)
    {
        if (text == "P0D")
        {
            period = new RetentionPeriod(0, 0, 0, 0);
            return true;
        }

        return RetentionPeriod.TryParse(text, out period);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex CategoryPattern();
}
