using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using DataRights.Host.Http;

namespace DataRights.Host.Pages;

/// <summary>Renders the form, with an error summary and inline messages when a submission was refused.</summary>
public static class IntakeFormView
{
    public static HtmlString Render(string csrfToken, DataRightsOptions options, IntakeSubmission? values, IReadOnlyDictionary<string, string[]>? errors)
    {
        errors ??= new Dictionary<string, string[]>();
        var defaultJurisdiction = values?.Jurisdiction ?? options.DefaultJurisdiction;

        var typeOptions = Html.Join(Enum.GetValues<RequestType>().Select(type =>
        {
            var (label, hint) = RequestTexts.Describe(type);
            var id = "type-" + type.Name();
            var isChecked = string.Equals(values?.Type, type.Name(), StringComparison.OrdinalIgnoreCase);
            return Html.Of($"""
                <div class="radio"><input type="radio" id="{id}" name="{IntakeFields.Type}" value="{type.Name()}" aria-describedby="{id}-hint"{Html.When(isChecked, new(" checked"))}>
                <div><label for="{id}">{label}</label><p class="hint" id="{id}-hint">{hint}</p></div></div>
                """);
        }));

        var jurisdictionOptions = Html.Join(Enum.GetValues<Jurisdiction>().Select(j => Html.Of(
            $"""<option value="{j.Name()}"{Html.When(string.Equals(defaultJurisdiction, j.Name(), StringComparison.OrdinalIgnoreCase), new(" selected"))}>{RequestTexts.Describe(j)}</option>""")));

        return Html.Of($"""
            {ErrorSummary(errors)}
            <h1>Make a request about your personal data</h1>
            <p>Use this form to ask {options.OperatorName} to show you, delete, correct or stop using the personal data we hold about you.
            We use the details you give only to find your data and answer you. Questions? Write to <a href="mailto:{options.PrivacyContactEmail}">{options.PrivacyContactEmail}</a>.</p>
            <form method="post" action="/" novalidate>
            <input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrfToken}">
            <fieldset class="{FieldClass(errors, IntakeFields.Type)}" id="{IntakeFields.Type}"{Described(errors, IntakeFields.Type, null)}>
            <legend>What would you like us to do?</legend>
            {Error(errors, IntakeFields.Type)}
            {typeOptions}
            </fieldset>
            {TextField(errors, IntakeFields.FullName, "Full name", "text", "name", values?.FullName, "The name we would know you by.")}
            {TextField(errors, IntakeFields.Email, "Email address", "email", "email", values?.Email, "We will write to you here, and ask you to confirm it is yours.")}
            <div class="field {FieldClass(errors, IntakeFields.Jurisdiction)}">
            <label for="{IntakeFields.Jurisdiction}">Where do you live?</label>
            <p class="hint" id="{IntakeFields.Jurisdiction}-hint">This decides which law applies and how long we have to reply.</p>
            {Error(errors, IntakeFields.Jurisdiction)}
            <select id="{IntakeFields.Jurisdiction}" name="{IntakeFields.Jurisdiction}"{Described(errors, IntakeFields.Jurisdiction, IntakeFields.Jurisdiction + "-hint")}>{jurisdictionOptions}</select>
            </div>
            {TextField(errors, IntakeFields.AccountReference, "Customer or account number (optional)", "text", "off", values?.AccountReference, "It helps us find your records, if you have one.")}
            <div class="field {FieldClass(errors, IntakeFields.Details)}">
            <label for="{IntakeFields.Details}">Details (optional)</label>
            <p class="hint" id="{IntakeFields.Details}-hint">Anything that helps us, for example what is wrong and what it should say. Up to {IntakeFields.MaxDetailsLength} characters.</p>
            {Error(errors, IntakeFields.Details)}
            <textarea id="{IntakeFields.Details}" name="{IntakeFields.Details}" rows="6"{Described(errors, IntakeFields.Details, IntakeFields.Details + "-hint")}>{values?.Details}</textarea>
            </div>
            <button type="submit">Send request</button>
            </form>
            """);
    }

    private static HtmlString ErrorSummary(IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count == 0)
        {
            return HtmlString.Empty;
        }

        var items = Html.Join(IntakeFields.All.Where(errors.ContainsKey).Concat(errors.Keys.Except(IntakeFields.All))
            .SelectMany(field => errors[field].Select(message => Html.Of($"""<li><a href="#{field}">{message}</a></li>"""))));
        return Html.Of($"""
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
            <h2 id="error-summary-title">There is a problem</h2>
            <ul>{items}</ul>
            </div>
            """);
    }

    private static HtmlString TextField(IReadOnlyDictionary<string, string[]> errors, string field, string label, string type, string autocomplete, string? value, string hint) =>
        Html.Of($"""
            <div class="field {FieldClass(errors, field)}">
            <label for="{field}">{label}</label>
            <p class="hint" id="{field}-hint">{hint}</p>
            {Error(errors, field)}
            <input type="{type}" id="{field}" name="{field}" value="{value}" autocomplete="{autocomplete}" spellcheck="false"{Described(errors, field, field + "-hint")}>
            </div>
            """);

    private static string FieldClass(IReadOnlyDictionary<string, string[]> errors, string field) => errors.ContainsKey(field) ? "field-error" : string.Empty;

    private static HtmlString Error(IReadOnlyDictionary<string, string[]> errors, string field) =>
        errors.TryGetValue(field, out var messages)
            ? Html.Of($"""<p class="error-message" id="{field}-error"><span class="visually-hidden">Error: </span>{string.Join(" ", messages)}</p>""")
            : HtmlString.Empty;

    private static HtmlString Described(IReadOnlyDictionary<string, string[]> errors, string field, string? hintId)
    {
        var ids = string.Join(' ', new[] { hintId, errors.ContainsKey(field) ? field + "-error" : null }.Where(id => id is not null));
        var invalid = errors.ContainsKey(field) ? " aria-invalid=\"true\"" : string.Empty;
        return ids.Length == 0 ? new HtmlString(invalid) : Html.Of($" aria-describedby=\"{ids}\"{new HtmlString(invalid)}");
    }
}
