using System.Text.RegularExpressions;
using DataRights.Core.Requests;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Verification;

/// <summary>Cross-field rules of <see cref="VerificationOptions"/>: known jurisdictions and rights, levels the offered details can meet, well-formed names.</summary>
internal sealed partial class VerificationOptionsValidator : IValidateOptions<VerificationOptions>
{
    public ValidateOptionsResult Validate(string? name, VerificationOptions options)
    {
        var problems = new List<string>();
        var offered = options.Definitions();
        foreach (var point in offered)
        {
            if (!PointName().IsMatch(point.Name))
            {
                problems.Add($"DataRights:Verification:DataPoints:{point.Name}: a name is a letter then letters or digits (up to 40), such as postcode.");
            }

            if (point.Label.Length is 0 or > 100)
            {
                problems.Add($"DataRights:Verification:DataPoints:{point.Name}:Label: give the label people read (up to 100 characters).");
            }

            if (!FieldName().IsMatch(point.Field))
            {
                problems.Add($"DataRights:Verification:DataPoints:{point.Name}:Field: give the identity field sources hold it under, lower case with underscores (such as last_invoice_amount).");
            }
        }

        foreach (var (jurisdiction, byType) in options.Levels)
        {
            if (!WireNames.TryParseJurisdiction(jurisdiction, out _))
            {
                problems.Add($"DataRights:Verification:Levels:{jurisdiction}: not a jurisdiction; use one of {string.Join(", ", WireNames.AllJurisdictions)}.");
            }

            foreach (var (type, level) in byType)
            {
                if (!WireNames.TryParseType(type, out _))
                {
                    problems.Add($"DataRights:Verification:Levels:{jurisdiction}:{type}: not a right; use one of {string.Join(", ", WireNames.AllTypes)}.");
                }

                if (level.DataPoints < 0)
                {
                    problems.Add($"DataRights:Verification:Levels:{jurisdiction}:{type}:DataPoints: 0 or more.");
                }
            }
        }

        // Every level in force, the defaults included, must be one the offered details can meet.
        foreach (var ((jurisdiction, type), level) in options.ToPolicy().Levels.Where(l => l.Value.DataPoints > offered.Count))
        {
            problems.Add($"DataRights:Verification:Levels:{jurisdiction.Name()}:{type.Name()}:DataPoints: {level.DataPoints} details asked, but only {offered.Count} offered (DataRights:Verification:DataPoints); offer more or lower the level.");
        }

        if (options.CategoriesDataPoints > offered.Count)
        {
            problems.Add($"DataRights:Verification:CategoriesDataPoints: at most the {offered.Count} details offered.");
        }

        foreach (var (jurisdiction, text) in options.Declarations)
        {
            if (!WireNames.TryParseJurisdiction(jurisdiction, out _) || text.Trim().Length is 0 or > 1000)
            {
                problems.Add($"DataRights:Verification:Declarations:{jurisdiction}: a jurisdiction ({string.Join(", ", WireNames.AllJurisdictions)}) and its declaration text (up to 1000 characters).");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex PointName();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex FieldName();
}
