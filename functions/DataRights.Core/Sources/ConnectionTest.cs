namespace DataRights.Core.Sources;

/// <summary>
/// Whether a source answered, in words staff can act on, never containing a secret nor the remote
/// system's own error text (that can carry anything; the log has what staff need, without personal data).
/// <see cref="Error"/> classifies a failure: <c>unreachable</c> (refused, closed, unreachable, timed out or a
/// refused address: one answer, so the test is no port scanner), <c>tls</c>, <c>authentication</c>,
/// <c>database</c> (a SQL database could not be opened or a statement failed), <c>not-read-only</c>,
/// <c>configuration</c> (the registration cannot be set up), <c>answer</c> (the system answered with an error status).
/// </summary>
public sealed record ConnectionTest(bool Reachable, string Detail, string? Error = null);
