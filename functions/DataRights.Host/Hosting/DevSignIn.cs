namespace DataRights.Host.Hosting;

/// <summary>
/// The development sign-in and the <c>/dev/*</c> pages are on only with both the Development environment and the
/// explicit opt-in <c>DataRights:DevSignIn=true</c>: a launch profile alone forcing Development must not open them.
/// </summary>
public static class DevSignIn
{
    public const string Setting = DataRightsOptions.Section + ":" + nameof(DataRightsOptions.DevSignIn);

    public static bool IsOn(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsDevelopment() && bool.TryParse(configuration[Setting], out var on) && on;
}
