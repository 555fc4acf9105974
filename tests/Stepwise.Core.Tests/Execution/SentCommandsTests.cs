using Stepwise.Execution;

namespace Stepwise.Core.Tests.Execution;

/// <summary>What a step's history and audit trail keep of the statements it sent: bounded, and never a password.</summary>
public sealed class SentCommandsTests
{
    [Fact]
    public void Statements_AreKeptInOrder_Trimmed_OnePerLine()
    {
        var sent = new SentCommands();

        sent.Add("  CREATE TABLE orders (id bigint)\n");
        sent.Add("   ");
        sent.Add("INSERT INTO orders (id) VALUES (@id)");

        Assert.Equal("CREATE TABLE orders (id bigint)\nINSERT INTO orders (id) VALUES (@id)", sent.Text);
    }

    [Fact]
    public void NothingSent_IsNull_AndClearForgetsWhatWasSent()
    {
        var sent = new SentCommands();
        Assert.Null(sent.Text);

        sent.Add("DROP TABLE orders");
        sent.Clear();

        Assert.Null(sent.Text);
    }

    [Theory]
    [InlineData("CREATE ROLE app LOGIN PASSWORD 'Sup3r''secret'", "CREATE ROLE app LOGIN PASSWORD '***'")]
    [InlineData("ALTER USER app WITH ENCRYPTED PASSWORD $pw$Sup3r secret$pw$ VALID UNTIL 'infinity'", "ALTER USER app WITH ENCRYPTED PASSWORD '***' VALID UNTIL 'infinity'")]
    [InlineData("alter role app password E'Sup3r\\'secret'", "alter role app password '***'")]
    [InlineData("SELECT dblink_connect('host=db user=app password=Sup3r-secret dbname=shop')", "SELECT dblink_connect('host=db user=app password=*** dbname=shop')")]
    [InlineData("CREATE USER MAPPING FOR app SERVER old OPTIONS (user 'app', password 'Sup3r secret')", "CREATE USER MAPPING FOR app SERVER old OPTIONS (user 'app', password '***')")]
    public void PasswordLiterals_AreNeverKept(string statement, string kept)
    {
        var sent = new SentCommands();

        sent.Add(statement);

        Assert.Equal(kept, sent.Text);
        Assert.DoesNotContain("Sup3r", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Beyond_MaxLength_StatementsAreCounted_NotKept()
    {
        var sent = new SentCommands();
        var statement = "UPDATE orders SET note = '" + new string('x', 1500) + "' WHERE id < 100";

        for (var i = 0; i < 5; i++)
        {
            sent.Add(statement);
        }

        Assert.Equal(string.Join('\n', Enumerable.Repeat(statement, 2)) + "\n… and 3 more statement(s), not kept", sent.Text);
        Assert.True(sent.Text!.Length < SentCommands.MaxLength + 100);
    }
}
