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

    /// <summary>Submissions allowed for one email address per <see cref="PerEmailWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int PerEmailPermitLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan PerEmailWindow { get; set; } = TimeSpan.FromHours(1);
}
