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

    public bool Enabled => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(Audience);

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
