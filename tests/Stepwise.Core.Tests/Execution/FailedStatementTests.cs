using Stepwise.Execution;

namespace Stepwise.Core.Tests.Execution;

/// <summary>The sentence a failure's message gains when the engine named the statement the database refused.</summary>
public sealed class FailedStatementTests
{
    [Fact]
    public void StatementOfSeveral_IsNamedWithItsPlaceAndLine_OnOneLine()
    {
        var statement = new FailedStatement("INSERT INTO transfers\n    VALUES (3, NULL)", number: 3, count: 4, line: 5);

        Assert.Equal("Failed statement (3 of 4, line 5): INSERT INTO transfers VALUES (3, NULL)", statement.Describe(Redaction.None));
    }

    [Theory]
    [InlineData(1, "Failed statement: DROP TABLE orders")]
    [InlineData(2, "Failed statement (line 2): DROP TABLE orders")]
    public void OnlyStatement_IsNamedWithItsLineWhenItIsNotTheFirst(int line, string expected) =>
        Assert.Equal(expected, new FailedStatement("DROP TABLE orders", 1, 1, line).Describe(Redaction.None));

    [Fact]
    public void LongStatement_IsCut()
    {
        var described = new FailedStatement("UPDATE orders SET note = '" + new string('x', 500) + "'", 1, 1, 1).Describe(Redaction.None);

        Assert.EndsWith("xxx…", described, StringComparison.Ordinal);
        Assert.Equal("Failed statement: ".Length + FailedStatement.ShownLength, described.Length);
    }

    [Fact]
    public void PasswordsAndTheConnectionsSecrets_AreTakenOut()
    {
        var statement = new FailedStatement("CREATE ROLE app LOGIN PASSWORD 'Sup3r-secret' IN ROLE no_such_role; -- conn-secret", 1, 1, 1);

        var described = statement.Describe(new Redaction(["conn-secret"]));

        Assert.Equal("Failed statement: CREATE ROLE app LOGIN PASSWORD '***' IN ROLE no_such_role; -- ***", described);
    }

    [Fact]
    public void NamedStatement_IsFoundOnTheExceptionOrAnOuterOne()
    {
        var refused = new InvalidOperationException("refused");
        var statement = new FailedStatement("DROP TABLE orders", 1, 1, 1);

        statement.AttachTo(refused);

        Assert.Same(statement, FailedStatement.Of(refused));
        Assert.Same(statement, FailedStatement.Of(new InvalidOperationException("step failed", refused)));
        Assert.Null(FailedStatement.Of(new InvalidOperationException("another")));
    }
}
