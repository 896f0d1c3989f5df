using System.ComponentModel.DataAnnotations;

namespace DataRights.Host.Hosting;

/// <summary>Settings under <c>DataRights</c>. Defaults here make a zero-config stand-alone run work.</summary>
public sealed class DataRightsOptions
{
    public const string Section = "DataRights";

    /// <summary>Folder for the SQLite file, keys and (later) the mail outbox; relative paths are from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The controller's name, shown on every page and message.</summary>
    [Required]
    [StringLength(200)]
    public string OperatorName { get; set; } = "Example Telecom Ltd";

    /// <summary>The controller's postal address, in the footer of every message.</summary>
    [StringLength(300)]
    public string OperatorAddress { get; set; } = "1 Example Street, London EC1A 1AA, United Kingdom";

    /// <summary>
    /// Who a requester may complain to, per jurisdiction (UK, EU, US-CA, BR, IN, OTHER), as told in
    /// rejections, extensions and completions. Missing ones use the defaults in code (ICO for the UK).
    /// </summary>
    public Dictionary<string, string> SupervisoryAuthorities { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Folder of the message templates; empty: the ones shipped with the program.</summary>
    public string? EmailTemplatesDirectory { get; set; }

    /// <summary>Where people can write about privacy (shown on the form).</summary>
    [Required]
    [EmailAddress]
    public string PrivacyContactEmail { get; set; } = "privacy@example.com";

    /// <summary>Jurisdiction assumed when a request does not give one (UK, EU, US-CA, BR, IN, OTHER).</summary>
    [Required]
    public string DefaultJurisdiction { get; set; } = "UK";

    /// <summary>An identical submission within this window returns the first request instead of a new one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Public base address used in links (e.g. https://privacy.example.com); empty: taken from the incoming request.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Base64 key (at least 32 bytes) that signs status links; empty: a key file in the data folder, created on first run.</summary>
    public string? StatusLinkKey { get; set; }

    /// <summary>Keys that sign emailed links, by key id (base64, at least 32 bytes each). Empty: a key file in the data folder.</summary>
    public Dictionary<string, string> LinkKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key id new links are signed with; the others still verify (rotation). Empty: the last id in order.</summary>
    public string? ActiveLinkKeyId { get; set; }

    /// <summary>The key that seals exports at rest (AES-256-GCM), as a reference: <c>env:NAME</c> holding 32 bytes in base64. Empty: a key file in the data folder.</summary>
    public string? ExportKey { get; set; }

    /// <summary>
    /// The key of keyed-hash masks (HMAC-SHA256), as a reference: <c>env:NAME</c> holding at least 32 bytes in
    /// base64. Every instance must use the same key, so that one person's masked value is the same wherever it
    /// was masked. Empty: a key file in the data folder (stand-alone only).
    /// </summary>
    public string? MaskKey { get; set; }

    /// <summary>
    /// Turns on the development sign-in (the <c>X-DataRights-Dev-User</c> header, Admin and Approver) and the
    /// <c>/dev/*</c> pages. Honoured only in the Development environment; <c>run.sh</c> sets it for the local try-out.
    /// </summary>
    public bool DevSignIn { get; set; }

    public IntakeOptions Intake { get; set; } = new();

    /// <summary>Overrides of the statutory clock per jurisdiction (see <see cref="DeadlineOptions"/>).</summary>
    public DeadlineOptions Deadlines { get; set; } = new();

    /// <summary>The base of links in emails, which are written away from any incoming request.</summary>
    public string LinkBase => string.IsNullOrEmpty(PublicBaseUrl) ? "http://localhost:" + HostingExtensions.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : PublicBaseUrl.TrimEnd('/');
}
