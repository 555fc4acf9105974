using Stepwise.MongoDb.Internal;

namespace Stepwise.MongoDb.Tests;

public sealed class LeaseTermsTests
{
    private static readonly LeaseTerms Terms = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));

    [Theory]
    [InlineData(0, true)]
    [InlineData(10_000, true)]
    [InlineData(24_999, true)]
    [InlineData(25_000, false)] // lease minus margin: the runner stops trusting it here, before the server could let it go
    [InlineData(30_000, false)]
    [InlineData(-1, false)] // a clock that went backwards proves nothing
    public void StillHeld_CountsFromTheConfirmedRenewalsSending_AndKeepsTheMargin(int sinceSentMs, bool held) =>
        Assert.Equal(held, Terms.StillHeld(TimeSpan.FromMilliseconds(sinceSentMs)));

    [Fact]
    public void Default_SurvivesTwoFailedRenewals()
    {
        var terms = LeaseTerms.Default;

        // Renewed at 0, then the renewals at 10 s and 20 s fail: at the second failure the runner still holds the lease.
        Assert.True(terms.StillHeld(terms.RenewEvery * 2));
        Assert.False(terms.StillHeld(terms.Lease));
        Assert.Equal(30_000, terms.LeaseMilliseconds);
    }

    [Theory]
    [InlineData(30, 15, 5)] // two renewals plus the margin exceed the lease
    [InlineData(30, 0, 5)]
    [InlineData(30, 10, -1)]
    public void TermsThatCannotKeepALease_AreRefused(int lease, int renewEvery, int margin) =>
        Assert.Throws<ArgumentException>(() => new LeaseTerms(TimeSpan.FromSeconds(lease), TimeSpan.FromSeconds(renewEvery), TimeSpan.FromSeconds(margin)));
}
