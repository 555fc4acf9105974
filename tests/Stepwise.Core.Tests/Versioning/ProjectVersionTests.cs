using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Versioning;

public sealed class ProjectVersionTests
{
    [Theory]
    [InlineData("1.1.0", "1.1.0")]
    [InlineData("v1.1.0", "1.1.0")]
    [InlineData(" v2.0.0 ", "2.0.0")]
    [InlineData("1.0.0-rc.1", "1.0.0-rc.1")]
    public void Parse_AcceptsSemverWithOrWithoutV(string text, string canonical)
    {
        Assert.Equal(canonical, ProjectVersion.Parse(text).ToString());
    }

    [Fact]
    public void VersionsWithAndWithoutV_AreEqual()
    {
        Assert.Equal(ProjectVersion.Parse("v1.1.0"), ProjectVersion.Parse("1.1.0"));
        Assert.Equal(ProjectVersion.Parse("v1.1.0").GetHashCode(), ProjectVersion.Parse("1.1.0").GetHashCode());
    }

    [Theory]
    [InlineData("1.0.0", "1.0.1")]
    [InlineData("1.9.0", "1.10.0")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.0.0-alpha", "1.0.0-beta")]
    public void Ordering_FollowsSemverPrecedence(string lower, string higher)
    {
        Assert.True(ProjectVersion.Parse(lower) < ProjectVersion.Parse(higher));
        Assert.True(ProjectVersion.Parse(higher) > ProjectVersion.Parse(lower));
    }

    [Theory]
    [InlineData("", "a version is required")]
    [InlineData("1.0", "is not a semantic version")]
    [InlineData("one", "is not a semantic version")]
    [InlineData("1.0.0.0", "is not a semantic version")]
    [InlineData("1.0.0+build.5", "build metadata")]
    public void TryParse_ExplainsWhatIsWrong(string text, string expected)
    {
        Assert.False(ProjectVersion.TryParse(text, out var version, out var error));
        Assert.Null(version);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
