using DataRights.Core.Text;

namespace DataRights.Core.Sources;

/// <summary>
/// What the approver decided a change-type request means in practice, handed to every source: the
/// corrections of a rectification, the scope of an objection. Part of the approval record.
/// </summary>
public sealed record ActionInstructions
{
    public IReadOnlyList<Correction> Corrections { get; init; } = [];

    /// <summary>For a restriction: true when the restriction is being lifted (the source releases the records).</summary>
    public bool LiftRestriction { get; init; }

    /// <summary>For an objection: what the person objects to.</summary>
    public ObjectionScope? Objection { get; init; }

    /// <summary>The personal details a rectification can correct at a source automatically.</summary>
    public static readonly IReadOnlyList<string> CorrectableFields = ["name", "email", "phone", "address"];

    /// <summary>Problems keyed by field (<c>corrections[0].value</c>), empty when the instructions are usable.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Corrections.Count; i++)
        {
            var c = Corrections[i];
            if (!CorrectableFields.Contains(c.Field))
            {
                problems[$"corrections[{i}].field"] = $"Choose one of: {string.Join(", ", CorrectableFields)}.";
            }

            if (string.IsNullOrWhiteSpace(c.Value) || c.Value.Length > 200 || TextRules.HasForbiddenCharacters(c.Value, multiLine: false)
                || (c.Field == "email" && !EmailAddress.TryNormalize(c.Value, out _)))
            {
                problems[$"corrections[{i}].value"] = c.Field == "email" ? "Give the correct email address." : "Give the correct value, on one line of at most 200 characters.";
            }
        }

        if (Corrections.Select(c => c.Field).Distinct(StringComparer.Ordinal).Count() != Corrections.Count)
        {
            problems["corrections"] = "Give each detail once.";
        }

        return problems;
    }
}

/// <summary>One detail to correct: which (<c>name</c>, <c>email</c>, <c>phone</c>, <c>address</c>) and what it should say.</summary>
public sealed record Correction(string Field, string Value)
{
    /// <summary>
    /// What a source that changed none of <paramref name="fields"/> tells the person (null when it changed them all):
    /// the details in plain words ("phone number", not <c>phone</c>).
    /// </summary>
    public static string? NotChangedNote(IReadOnlyCollection<string> fields) => fields.Count == 0 ? null
        : $"This system does not hold your {string.Join(" or ", fields.Select(PlainName))}, or cannot change it automatically; the privacy team checks it by hand.";

    /// <summary>A detail's name as people read it.</summary>
    public static string PlainName(string field) => field switch
    {
        "name" => "name",
        "email" => "email address",
        "phone" => "phone number",
        "address" => "postal address",
        _ => field,
    };
}

/// <summary>What an objection is to: direct marketing (always honoured) or other processing (weighed by staff).</summary>
public enum ObjectionScope
{
    DirectMarketing,
    OtherProcessing,
}
