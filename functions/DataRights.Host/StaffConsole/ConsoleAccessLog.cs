namespace DataRights.Host.StaffConsole;

/// <summary>The console's log category; messages in <see cref="ConsoleLog"/>.</summary>
public sealed class ConsoleAccessLog;
