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
    [InlineData("SELECT dblink_connect('host=db password=''Sup3r secret'' dbname=shop')", "SELECT dblink_connect('host=db password=*** dbname=shop')")]
    [InlineData("CREATE SUBSCRIPTION s CONNECTION 'host=db password=\"Sup3r\"' PUBLICATION p", "CREATE SUBSCRIPTION s CONNECTION 'host=db password=***' PUBLICATION p")]
    public void PasswordLiterals_AreNeverKept(string statement, string kept)
    {
        var sent = new SentCommands();

        sent.Add(statement);

        Assert.Equal(kept, sent.Text);
        Assert.DoesNotContain("Sup3r", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Beyond_MaxLength_TheStatementThatReachesItIsCut_AndTheRestCounted()
    {
        var sent = new SentCommands();
        var statement = "UPDATE orders SET note = '" + new string('x', 1500) + "' WHERE id < 100";

        for (var i = 0; i < 5; i++)
        {
            sent.Add(statement);
        }

        var room = SentCommands.MaxLength - (2 * statement.Length + 1) - 1;
        Assert.Equal($"{statement}\n{statement}\n{statement[..(room - 1)]}…\n… and 2 more statement(s), not kept", sent.Text);
    }

    [Fact]
    public void OneStatementLongerThanMaxLength_IsKeptAsFarAsItGoes()
    {
        var sent = new SentCommands();
        var script = "CREATE TABLE big (id bigint);" + string.Concat(Enumerable.Repeat("\nINSERT INTO big VALUES (1);", 400));

        sent.Add(script);

        Assert.Equal(SentCommands.MaxLength, sent.Text!.Length);
        Assert.StartsWith("CREATE TABLE big (id bigint);", sent.Text, StringComparison.Ordinal);
        Assert.EndsWith("…", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheConnectionsOwnPassword_IsTakenOutWhereverItIs()
    {
        var sent = new SentCommands(["pw-9f3e1c"]);

        sent.Add("INSERT INTO notes (text) VALUES ('the password is pw-9f3e1c')");

        Assert.Equal("INSERT INTO notes (text) VALUES ('the password is ***')", sent.Text);
    }
}
