using DataRights.Core.Retention;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Retention;

/// <summary>The configured policy, strictly: every problem named by its setting path, and only regions that have a purge timer.</summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var problems = new List<string>();
        foreach (var (region, rules) in options.Policy)
        {
            var prefix = $"{RetentionOptions.Section}:Policy:{region}";
            if (PurgeRegions.Find(region) is null)
            {
                problems.Add($"{prefix}: no purge timer for this region. Known regions: {string.Join(", ", PurgeRegions.All.Select(r => r.Key))}.");
            }

            foreach (var (field, messages) in RetentionPolicyValidator.Validate(rules))
            {
                // rules[2].maxAge -> DataRights:Retention:Policy:eu-west:2:MaxAge, as the setting is written.
                problems.Add($"{prefix}:{SettingPath(field)}: {string.Join(" ", messages)}");
            }
        }

        if (options.RunStepRetryFor < options.RunStepRetryFirst)
        {
            // The task hub's retry policy refuses a budget shorter than its first pause: every run would fail at once.
            problems.Add($"{RetentionOptions.Section}:RunStepRetryFor must be at least RunStepRetryFirst ({options.RunStepRetryFirst}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string SettingPath(string field)
    {
        var path = field.StartsWith("rules", StringComparison.Ordinal) ? field["rules".Length..] : field;
        path = path.Replace("[", string.Empty, StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal).TrimStart('.');
        return string.Join(':', path.Split('.').Select(part => part.Length > 0 && char.IsLetter(part[0]) ? char.ToUpperInvariant(part[0]) + part[1..] : part));
    }
}
