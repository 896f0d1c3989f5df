namespace DataRights.Host.StaffConsole;

/// <summary>Whose move it is on a request: the inbox's "waiting on" filter.</summary>
public enum WaitingOn
{
    Us,
    Requester,
    Source,
    Nobody,
}
