using DataRights.Core.Retention;

namespace DataRights.Core.Tests.Retention;

public sealed class PurgeSummaryTests
{
    [Fact]
    public void Describe_DryRun_SaysWouldAndThatNothingWasDeleted()
    {
        Assert.Equal(
            "Would purge 894 records; 1 record would be kept under a legal hold. This was a dry run: nothing was deleted.",
            PurgeSummary.Describe(dryRun: true, purged: 894, held: 1, retained: 0, errors: 0));
    }

    [Fact]
    public void Describe_RealRun_SaysWhatWentAndWhatStayed()
    {
        Assert.Equal(
            "Purged 1 record; 2 records were kept under a legal hold; 3 records were kept because their retention has not ended; 1 error (see the report's lines).",
            PurgeSummary.Describe(dryRun: false, purged: 1, held: 2, retained: 3, errors: 1));
    }

    [Fact]
    public void Describe_NothingToDo_SaysNoneWithoutExtras()
    {
        Assert.Equal("Purged 0 records.", PurgeSummary.Describe(dryRun: false, purged: 0, held: 0, retained: 0, errors: 0));
    }
}
