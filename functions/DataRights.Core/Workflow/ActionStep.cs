using System.Globalization;

namespace DataRights.Core.Workflow;

/// <summary>
/// The step and round an emailed link was issued for. A link acts only while its step is the one the request
/// waits at now (<see cref="RequestDecider.IsCurrent"/>). Links carry it as text: <c>verification</c> (round 1),
/// <c>verification-2</c> (once asked for details again), <c>information-2</c>, <c>approval-2</c>, <c>discover:crm:1</c>, <c>execute:crm:1</c>.
/// </summary>
public sealed record ActionStep(ActionStepKind Kind, int Round, string? SourceKey = null)
{
    public static ActionStep Verification { get; } = new(ActionStepKind.Verification, 1);

    /// <summary>The person's confirmation in verification round <paramref name="round"/> (2 once asked for their details again).</summary>
    public static ActionStep VerificationIn(int round) => round == 1 ? Verification : new(ActionStepKind.Verification, round);

    /// <summary>The requester's answer to the question asked in approval round <paramref name="round"/>.</summary>
    public static ActionStep Information(int round) => new(ActionStepKind.Information, round);

    public static ActionStep Approval(int round) => new(ActionStepKind.Approval, round);

    /// <summary>A manual source owner's task: search (<see cref="SourceStep.Discover"/>) or carry out, in its round.</summary>
    public static ActionStep Task(SourceStep step, string sourceKey, int round) =>
        new(step == SourceStep.Discover ? ActionStepKind.Discover : ActionStepKind.Execute, round, sourceKey);

    /// <summary>The per-source step of a task, or null for the request-wide steps.</summary>
    public SourceStep? TaskStep => Kind switch
    {
        ActionStepKind.Discover => SourceStep.Discover,
        ActionStepKind.Execute => SourceStep.Execute,
        _ => null,
    };

    /// <summary>The text a link carries.</summary>
    public string Format() => Kind switch
    {
        ActionStepKind.Verification => Round == 1 ? "verification" : "verification-" + Number(Round),
        ActionStepKind.Information => "information-" + Number(Round),
        ActionStepKind.Approval => "approval-" + Number(Round),
        _ => $"{Kebab.Of(Kind)}:{SourceKey}:{Number(Round)}",
    };

    /// <summary>Reads <see cref="Format"/>'s text; null for anything else.</summary>
    public static ActionStep? Parse(string? text)
    {
        switch (text?.Split(':'))
        {
            case ["verification"]:
                return Verification;
            case [var single] when single.Split('-') is [var name, var round] && TryRound(round, out var n):
                return name switch
                {
                    "verification" => VerificationIn(n),
                    "information" => Information(n),
                    "approval" => Approval(n),
                    _ => null,
                };
            case [var kind, var source, var round] when source.Length > 0 && TryRound(round, out var n)
                && Kebab.TryParse<ActionStepKind>(kind, out var k) && k is ActionStepKind.Discover or ActionStepKind.Execute:
                return new ActionStep(k, n, source);
            default:
                return null;
        }
    }

    private static bool TryRound(string text, out int round) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out round) && round > 0;

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
