using System.ComponentModel.DataAnnotations;

namespace DataRights.Host.Hosting;

/// <summary>Abuse limits on intake (<c>DataRights:Intake</c>).</summary>
public sealed class IntakeOptions
{
    /// <summary>Submissions allowed from one client address per <see cref="PerClientWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int PerClientPermitLimit { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PerClientWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// New requests from the public form and API for one email address per <see cref="PerEmailWindow"/>. Never applied to
    /// staff entries, nor to a submission answered as a repeat (an address with a request waiting for confirmation).
    /// </summary>
    [Range(1, 1_000_000)]
    public int PerEmailPermitLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PerEmailWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The most emails with a request's link (verification or status link) one request's address is sent in any 24 hours
    /// on demand: the first verification email, "send again" on the status page, and repeat submissions.
    /// </summary>
    [Range(1, 50)]
    public int LinkEmailsPerDay { get; set; } = 3;
}
