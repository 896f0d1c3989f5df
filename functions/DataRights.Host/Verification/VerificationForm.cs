using DataRights.Core.Text;
using DataRights.Core.Verification;
using DataRights.Host.Pages;

namespace DataRights.Host.Verification;

/// <summary>
/// The part of the verification page that asks for what the request's level needs, and only that: the details to match
/// (from the configured data points) and the declaration. Fields are named <c>dataPoints.{name}</c>, <c>declaration</c>
/// and <c>signedAs</c>, and problems are keyed by those names.
/// </summary>
public static class VerificationForm
{
    public const int MaxValueLength = 100;
    public const int MaxSignedAsLength = 200;
    public const string DeclarationField = "declaration";
    public const string SignedAsField = "signedAs";

    public static string FieldOf(DataPointDefinition point) => "dataPoints." + point.Name;

    /// <summary>The fields, with the problems of a previous try beside them; nothing when the email alone is enough.</summary>
    public static HtmlString Fields(VerificationLevel level, IReadOnlyList<DataPointDefinition> points, string declaration, IReadOnlyDictionary<string, string[]> errors)
    {
        var details = level.DataPoints == 0 ? HtmlString.Empty : Html.Of($"""
            <h2>Details we hold about you</h2>
            <p>The law asks us to make sure that you are the person this request is about before we act on it. Please give at least {Plural.Count(level.DataPoints, "of these details", "of these details")} as you gave them to us. We only check them against our records, and delete them once checked.</p>
            {Error(errors, "dataPoints")}
            {Html.Join(points.Select(p => Field(errors, FieldOf(p), p.Label)))}
            """);
        var signed = !level.Declaration ? HtmlString.Empty : Html.Of($"""
            <h2>Declaration</h2>
            <div class="field {(errors.ContainsKey(DeclarationField) ? "field-error" : string.Empty)}">
            {Error(errors, DeclarationField)}
            <label><input type="checkbox" id="{DeclarationField}" name="{DeclarationField}" value="yes"> {declaration}</label>
            </div>
            {Field(errors, SignedAsField, "Type your full name to sign the declaration")}
            """);
        return Html.Of($"{details}{signed}");
    }

    /// <summary>The answers in a posted form; problems when fewer details than the level needs, or no signed declaration where one is needed.</summary>
    public static VerificationAnswers Read(IFormCollection form, VerificationLevel level, IReadOnlyList<DataPointDefinition> points)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var given = new List<(DataPointDefinition, string)>();
        foreach (var point in points)
        {
            var typed = form[FieldOf(point)].ToString().Trim();
            if (typed.Length == 0)
            {
                continue;
            }

            if (typed.Length > MaxValueLength || TextRules.HasForbiddenCharacters(typed, multiLine: false) || GivenDataPoint.Comparable(typed).Length == 0)
            {
                errors[FieldOf(point)] = [$"Enter your {point.Label.ToLowerInvariant()} in letters and digits (up to {MaxValueLength} characters)."];
                continue;
            }

            given.Add((point, typed));
        }

        if (level.DataPoints > 0 && given.Count < level.DataPoints && errors.Count == 0)
        {
            errors["dataPoints"] = [$"Give at least {Plural.Count(level.DataPoints, "of the details", "of the details")} below."];
        }

        string? signedAs = null;
        if (level.Declaration)
        {
            signedAs = form[SignedAsField].ToString().Trim();
            if (form[DeclarationField].ToString() != "yes")
            {
                errors[DeclarationField] = ["Tick the box to make the declaration."];
            }

            if (signedAs.Length is 0 or > MaxSignedAsLength || TextRules.HasForbiddenCharacters(signedAs, multiLine: false) || !TextRules.HasVisibleCharacters(signedAs))
            {
                errors[SignedAsField] = [$"Type your full name (up to {MaxSignedAsLength} characters) to sign the declaration."];
            }
        }

        return new VerificationAnswers(level.DataPoints > 0 ? given : [], signedAs, errors);
    }

    private static HtmlString Field(IReadOnlyDictionary<string, string[]> errors, string field, string label) => Html.Of($"""
        <div class="field {(errors.ContainsKey(field) ? "field-error" : string.Empty)}">
        <label for="{field}">{label}</label>
        {Error(errors, field)}
        <input type="text" id="{field}" name="{field}" autocomplete="off" spellcheck="false" maxlength="{(field == SignedAsField ? MaxSignedAsLength : MaxValueLength)}">
        </div>
        """);

    private static HtmlString Error(IReadOnlyDictionary<string, string[]> errors, string field) =>
        errors.TryGetValue(field, out var messages)
            ? Html.Of($"""<p class="error-message" id="{field}-error"><span class="visually-hidden">Error: </span>{string.Join(" ", messages)}</p>""")
            : HtmlString.Empty;
}
