using Stepwise.Analyzers.Sql;

namespace Stepwise.Analyzers.Tests.PostgreSql;

public sealed class SqlTokenizerTests
{
    [Theory]
    [InlineData("SELECT 'it''s; VACUUM'", "SELECT", "'it's; VACUUM'")]
    [InlineData("SELECT E'a\\'; VACUUM'", "SELECT", "'a'; VACUUM'")]
    [InlineData("SELECT $fn$ ; VACUUM $x$ $fn$", "SELECT", "' ; VACUUM $x$ '")]
    [InlineData("SELECT $$;$$", "SELECT", "';'")]
    [InlineData("SELECT \"a;\"\"b\"", "SELECT", "\"a;\"b\"")]
    [InlineData("SELECT U&'d\\0061t'", "SELECT", "'d\\0061t'")]
    [InlineData("SELECT /* a /* b */ ; */ 1", "SELECT", "1")]
    [InlineData("SELECT 1 -- ; VACUUM\n", "SELECT", "1")]
    public void QuotedTextAndComments_AreSingleTokens(string sql, params string[] expected)
    {
        var tokens = SqlTokenizer.Tokenize(sql);
        Assert.Equal(expected, tokens.Select(Show));
    }

    [Fact]
    public void Semicolons_SplitStatements_ButNotInsideAtomicBodies()
    {
        var sql = "SET x = 1; CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;; VACUUM";
        var statements = SqlStatement.Split(SqlTokenizer.Tokenize(sql));
        Assert.Equal(["SET", "CREATE", "VACUUM"], statements.Select(s => s[0].Value));
    }

    [Fact]
    public void Parameters_AreNotWords()
    {
        var tokens = SqlTokenizer.Tokenize("SELECT @status, $1, a$b, 1.5e3, x::text");
        Assert.Equal(
            ["SELECT", "@status", ",", "$1", ",", "A$B", ",", "1.5e3", ",", "X", "::", "TEXT"],
            tokens.Select(t => t.Value));
        Assert.Equal(SqlTokenKind.Parameter, tokens[1].Kind);
        Assert.Equal(SqlTokenKind.Parameter, tokens[3].Kind);
    }

    [Fact]
    public void Offsets_PointIntoTheText()
    {
        const string Sql = "  create index ix ON \"Orders\" (id)";
        foreach (var token in SqlTokenizer.Tokenize(Sql))
        {
            Assert.InRange(token.Start, 0, Sql.Length - 1);
            Assert.InRange(token.End, token.Start + 1, Sql.Length);
        }
    }

    /// <summary>Whatever the text, the tokenizer and the rules finish without throwing: an analyzer that throws fails the build.</summary>
    [Fact]
    public void RandomText_NeverThrows()
    {
        var random = new Random(20261124);
        string[] pieces = ["CREATE", " INDEX", " CONCURRENTLY", " ON", " t", "(", ")", ",", ";", "'", "\"", "$$", "$a$", "--", "/*", "*/", "\n",
            " ALTER TABLE", " ADD", " COLUMN", " DROP", " NOT", " NULL", " DEFAULT", " RENAME", " TO", " BEGIN", " ATOMIC", " END", " CASE",
            "E'", "\\", "U&", ".", "*", " REINDEX", " TRUNCATE", " x", "1", "::", "@p", "$1", " CONSTRAINT", " UNIQUE", " FOREIGN", " ONLY",
            " SET", " LOCAL", " RESET", " LOCK", " VACUUM", " FULL", " REFRESH", " MATERIALIZED", " VIEW", " TYPE", " VALUE", " DOMAIN", " CHECK",
            " GENERATED", " ALWAYS", " AS", " IDENTITY", " STORED", " VALIDATE", " DISABLE", " ENABLE", " TRIGGER", " REPLICA", " SECURITY",
            " DEFINER", " FUNCTION", " INSERT INTO", " UPDATE", " DETACH", " PARTITION", " varchar", "(10)", " timestamp", " WITH", " TIME ZONE",
            " PRIMARY", " KEY", " IN", " MODE", " EXCLUDE", " VALID", " ROW", " LEVEL", " 'v'", " =", " lock_timeout", " CREATE TABLE"];
        for (var run = 0; run < 5000; run++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => pieces[random.Next(pieces.Length)]));
            var statements = SqlStatement.Split(SqlTokenizer.Tokenize(text));
            _ = PostgresStatementRules.CreatedTables(statements).ToList();
            var findings = new List<SqlFinding>();
            var inDown = run % 2 == 1;
            var context = new MigrationSqlContext(
                "Fuzz", isNonTransactional: run % 3 == 0, isNewInstall: false, isDestructiveJustified: false, hasLockTimeoutPolicy: false, inDown,
                SqlSurvey.Of([statements]), []);
            PostgresStatementRules.Analyze(statements, context, findings);
            Assert.All(findings, f => Assert.InRange(f.Start, 0, f.End));
            Assert.All(findings, f => Assert.InRange(f.End, f.Start, text.Length));
        }
    }

    private static string Show(SqlToken token) => token.Kind switch
    {
        SqlTokenKind.String => "'" + token.Value + "'",
        SqlTokenKind.QuotedIdentifier => "\"" + token.Value + "\"",
        _ => token.Value,
    };
}
