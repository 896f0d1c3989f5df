using System.ComponentModel.DataAnnotations;

namespace DataRights.Email.SendGrid;

/// <summary>
/// How to reach SendGrid's v3 Mail Send endpoint. <see cref="ApiKey"/> is the key itself: in production it comes from a
/// Key Vault reference app setting (<c>SendGrid__ApiKey</c>), never from a settings file, and it is never logged.
/// </summary>
public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    [Required]
    public string ApiKey { get; set; } = string.Empty;

    [Required]
    [EmailAddress]
    public string FromEmail { get; set; } = string.Empty;

    /// <summary>Display name of the sender; left out of the request when empty.</summary>
    public string FromName { get; set; } = string.Empty;

    /// <summary>The host SendGridClient talks to: global by default; EU regional subusers use <c>https://api.eu.sendgrid.com/</c>.</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new("https://api.sendgrid.com/");

    /// <summary>HTTP attempts per send, the first one included, before a <see cref="TransientEmailException"/> hands the retry to the work queue.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Upper bound of one wait between attempts, whatever <c>Retry-After</c> or <c>X-RateLimit-Reset</c> ask for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a send holds its message id against another run of the same step (extended through each wait between
    /// attempts). Longer than one HTTP attempt can take; a run that dies holding it delays that email by at most this.
    /// </summary>
    public TimeSpan SendHold { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First backoff step when SendGrid gives no hint; it doubles per attempt.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
