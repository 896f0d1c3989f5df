namespace DataRights.Host.Staff;

/// <summary>
/// How a staff "run now" stands (the link <c>POST /api/admin/purges</c> answers with): <c>running</c>, <c>finished</c>
/// (with its report, whose status says completed or incomplete) or <c>failed</c> (the orchestration itself failed: the
/// problem in a sentence, and the report of what it did before, when the run was stored).
/// </summary>
public sealed record PurgeRunStatusResponse(string Id, string State, string StatusUrl, string ReportUrl, string? Problem, PurgeReportResponse? Report)
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
}
