namespace DataRights.Host.Staff;

/// <summary>
/// <c>DataRights:Entra</c>: the Microsoft Entra ID tenant and API that staff bearer tokens are issued for.
/// Off while <see cref="TenantId"/> and <see cref="Audience"/> are empty (then only the Development header signs in).
/// </summary>
public sealed class EntraOptions
{
    public const string Section = "DataRights:Entra";

    /// <summary>The Entra ID cloud instance (sovereign clouds have their own).</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>Directory (tenant) id the tokens must come from; single tenant only.</summary>
    public string? TenantId { get; set; }

    /// <summary>The API's Application ID URI (e.g. <c>api://datarights</c>): the <c>aud</c> of v1 access tokens.</summary>
    public string? Audience { get; set; }

    /// <summary>The API's application (client) id: the <c>aud</c> of v2 access tokens. Optional.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The client secret of the app registration (a web app), as a secret reference: <c>env:NAME</c> or
    /// <c>keyvault:NAME</c>, never the secret itself. With <see cref="ClientId"/> set it turns on browser sign-in of
    /// approvers (OpenID Connect authorization code flow with PKCE); empty: no browser sign-in.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>How long an approver's browser sign-in (the encrypted cookie) lasts; not sliding.</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool Enabled => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(Audience);

    /// <summary>Browser sign-in of approvers: Entra ID on, and the web app's client id and secret reference given.</summary>
    public bool BrowserSignInEnabled => Enabled && !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary>
    /// True when <see cref="Instance"/> is plain http on a loopback address (a local stand-in for Entra ID, as the tests
    /// run): only then is the OpenID configuration fetched without https.
    /// </summary>
    public bool IsLoopbackInstance => Uri.TryCreate(Instance, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    /// <summary>Where the signing keys are published (<c>{Instance}{TenantId}/v2.0</c>).</summary>
    public string Authority => Instance.TrimEnd('/') + "/" + TenantId + "/v2.0";

    /// <summary>The issuers of v2 and v1 access tokens for the tenant.</summary>
    public IReadOnlyList<string> ValidIssuers =>
    [
        Authority,
        "https://sts.windows.net/" + TenantId + "/",
    ];

    public IReadOnlyList<string> ValidAudiences => [.. new[] { Audience, ClientId }.OfType<string>().Where(a => a.Length > 0)];
}
