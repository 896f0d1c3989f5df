using DataRights.Host.Http;
using DataRights.Host.Pages;

namespace DataRights.Host.StaffConsole.Admin;

/// <summary>The pieces every administrator form shares: the anti-forgery field, the notice after a change, the error summary and a field's message.</summary>
internal static class AdminForms
{
    public static HtmlString Csrf(string csrf) => Html.Of($"""<input type="hidden" name="{HttpExtensions.CsrfFieldName}" value="{csrf}">""");

    public static HtmlString Notice(string? text) =>
        text is null ? HtmlString.Empty : Html.Of($"""<div class="notice-panel" role="status"><p>{text}</p></div>""");

    /// <summary>Each problem, linking to its field (keyed by the field's id).</summary>
    public static HtmlString ErrorSummary(IReadOnlyDictionary<string, string>? errors) => errors is not { Count: > 0 } ? HtmlString.Empty : Html.Of($"""
        <div class="error-summary" role="alert"><h2>There is a problem. Nothing was changed.</h2><ul>{Html.Join(errors.Select(e => Html.Of($"""<li><a href="#{e.Key}">{e.Value}</a></li>""")))}</ul></div>
        """);

    /// <summary>The message beside the field with id <paramref name="id"/>, if it has a problem.</summary>
    public static HtmlString Error(IReadOnlyDictionary<string, string>? errors, string id) =>
        errors?.GetValueOrDefault(id) is { } message ? Html.Of($"""<p class="error-message" id="{id}-error">{message}</p>""") : HtmlString.Empty;

    /// <summary>The field's wrapper class: <c>field</c>, with <c>field-error</c> when it has a problem.</summary>
    public static string FieldClass(IReadOnlyDictionary<string, string>? errors, string id) => errors?.ContainsKey(id) == true ? "field field-error" : "field";

    /// <summary>What the field is described by: its hint, and its message when it has a problem.</summary>
    public static string DescribedBy(IReadOnlyDictionary<string, string>? errors, string id) => errors?.ContainsKey(id) == true ? $"{id}-hint {id}-error" : $"{id}-hint";
}
