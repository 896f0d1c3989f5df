using System.Net;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DataRights.Integration.Tests.StaffConsole;

/// <summary>A browser-like client of the staff console: cookies kept, redirects shown rather than followed.</summary>
internal static class ConsoleClient
{
    public static HttpClient Create(DataRightsFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in with the development sign-in as <paramref name="name"/> in <paramref name="role"/> (approver or admin).</summary>
    public static async Task SignInAsync(HttpClient client, string name = "Priya Officer", string role = "approver", string returnUrl = "/staff")
    {
        using var response = await PostFormAsync(client, "/staff/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), "/staff/signin", ("name", name), ("role", role), ("returnUrl", returnUrl));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Opens <paramref name="page"/>, then posts a form to <paramref name="action"/> with that page's anti-forgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action, params (string Name, string Value)[] fields)
    {
        using var shown = await client.GetAsync(page);
        var html = await shown.Content.ReadAsStringAsync();
        Assert.True(shown.IsSuccessStatusCode, $"GET {page}: {(int)shown.StatusCode}");
        return await client.PostAsync(action, new FormUrlEncodedContent(
            fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__csrf", Forms.CsrfToken(html)))));
    }
}
