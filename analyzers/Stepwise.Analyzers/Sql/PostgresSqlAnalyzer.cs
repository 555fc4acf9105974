using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Stepwise.Analyzers.Sql;

/// <summary>
/// Checks the SQL a migration passes to <c>PostgresContext</c> (every method with a <c>string sql</c> parameter) against
/// the PostgreSQL safety rules. A migration's calls are gathered first, because whether a statement is safe can depend
/// on the rest of the class: a table it creates, [NonTransactional], [Destructive].
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PostgresSqlAnalyzer : DiagnosticAnalyzer
{
    /// <summary>What the offending statement is (e.g. "CREATE INDEX CONCURRENTLY"), for code fixes.</summary>
    public const string StatementProperty = "Statement";

    private const int MaxQuotedExpressionLength = 60;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.SW2001CannotRunInTransaction,
        Descriptors.SW2002ExplicitTransactionControl,
        Descriptors.SW2003CreateIndexWithoutConcurrently,
        Descriptors.SW2004DropIndexWithoutConcurrently,
        Descriptors.SW2005AddNotNullColumnWithoutDefault,
        Descriptors.SW2006SetNotNull,
        Descriptors.SW2007AlterColumnType,
        Descriptors.SW2008ConstraintWithoutNotValid,
        Descriptors.SW2009UniqueConstraintWithoutIndex,
        Descriptors.SW2010VolatileDefault,
        Descriptors.SW2011RenameTableOrColumn,
        Descriptors.SW2012DestructiveWithoutJustification,
        Descriptors.SW2013NotIdempotent,
        Descriptors.SW2014NonConstantSql,
        Descriptors.SW2015NonTransactionalStatementNotAlone);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (MigrationSymbols.TryCreate(start.Compilation) is not { } symbols ||
                start.Compilation.GetTypeByMetadataName(KnownTypes.PostgresContext) is not { } postgresContext)
            {
                return;
            }

            // The names of the context's SQL-carrying methods, read from the type itself: a cheap syntactic filter that
            // spares binding every other call in a migration (Require, TableExistsAsync, ...).
            var sqlMethodNames = ImmutableHashSet.CreateRange(
                StringComparer.Ordinal,
                postgresContext.GetMembers().OfType<IMethodSymbol>().Where(m => SqlParameter(m) is not null).Select(m => m.Name));

            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    var type = (INamedTypeSymbol)symbolStart.Symbol;
                    if (!symbols.IsConcreteMigration(type))
                    {
                        return;
                    }

                    var commands = new ConcurrentQueue<Command>();
                    // A syntax action, not an operation action: operation trees would be built for every method of every
                    // migration, while only calls on PostgresContext matter (see docs/benchmarks.md).
                    symbolStart.RegisterSyntaxNodeAction(c => Collect(c, postgresContext, sqlMethodNames, commands), SyntaxKind.InvocationExpression);
                    symbolStart.RegisterSymbolEndAction(c => Check(c, type, symbols, commands));
                },
                SymbolKind.NamedType);
        });
    }

    private static void Collect(
        SyntaxNodeAnalysisContext context, INamedTypeSymbol postgresContext, ImmutableHashSet<string> sqlMethodNames, ConcurrentQueue<Command> commands)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (invocation.ArgumentList.Arguments.Count == 0 ||
            !sqlMethodNames.Contains(CalledName(invocation.Expression)) ||
            context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol method ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, postgresContext) ||
            SqlArgument(invocation, method) is not { } argument ||
            context.SemanticModel.GetOperation(argument.Expression, context.CancellationToken) is not { } value)
        {
            return;
        }

        var text = SqlText.From(value, context.CancellationToken, out var nonConstant);
        if (nonConstant is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW2014NonConstantSql, nonConstant.GetLocation(), Quote(nonConstant)));
        }

        if (text is not null)
        {
            commands.Enqueue(new Command(text, IsInDown(context.ContainingSymbol)));
        }
    }

    private static IParameterSymbol? SqlParameter(IMethodSymbol method) =>
        method.Parameters.FirstOrDefault(p => p is { Name: "sql", Type.SpecialType: SpecialType.System_String });

    private static string CalledName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => string.Empty,
    };

    /// <summary>The argument given for the method's <c>string sql</c> parameter, by name or by position.</summary>
    private static ArgumentSyntax? SqlArgument(InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        var parameter = SqlParameter(method);
        if (parameter is null)
        {
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        foreach (var argument in arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == "sql")
            {
                return argument;
            }
        }

        return parameter.Ordinal < arguments.Count && arguments[parameter.Ordinal].NameColon is null ? arguments[parameter.Ordinal] : null;
    }

    private static void Check(SymbolAnalysisContext context, INamedTypeSymbol type, MigrationSymbols symbols, ConcurrentQueue<Command> commands)
    {
        if (commands.IsEmpty)
        {
            return;
        }

        var parsed = commands.Select(c => (Command: c, Statements: SqlStatement.Split(SqlTokenizer.Tokenize(c.Sql.Text)))).ToList();
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, statements) in parsed)
        {
            created.UnionWith(PostgresStatementRules.CreatedTables(statements));
        }

        var migration = new MigrationSqlContext(
            type.Name,
            isNonTransactional: MigrationSymbols.FindAttribute(type, symbols.NonTransactionalAttribute) is not null,
            isNewInstall: MigrationSymbols.IsNewInstall(MigrationSymbols.FindAttribute(type, symbols.MigrationAttribute)),
            isDestructiveJustified: MigrationSymbols.FindAttribute(type, symbols.DestructiveAttribute) is not null,
            created);

        var findings = new List<SqlFinding>();
        foreach (var (command, statements) in parsed)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            findings.Clear();
            PostgresStatementRules.Analyze(statements, migration, command.InDown, findings);
            foreach (var finding in findings)
            {
                var properties = finding.StatementLabel is null
                    ? ImmutableDictionary<string, string?>.Empty
                    : ImmutableDictionary<string, string?>.Empty.Add(StatementProperty, finding.StatementLabel);
                context.ReportDiagnostic(Diagnostic.Create(
                    finding.Rule, command.Sql.LocationOf(finding.Start, finding.End), properties, finding.Arguments));
            }
        }
    }

    // SQL in Down (or in a lambda or local function inside it) reverts Up: dropping what Up created is its job.
    private static bool IsInDown(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.LambdaMethod or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol is IMethodSymbol { Name: "Down", IsOverride: true };
    }

    private static string Quote(SyntaxNode node)
    {
        var text = node.ToString();
        return text.Length <= MaxQuotedExpressionLength ? text : text.Substring(0, MaxQuotedExpressionLength) + "…";
    }

    private sealed class Command
    {
        public Command(SqlText sql, bool inDown)
        {
            Sql = sql;
            InDown = inDown;
        }

        public SqlText Sql { get; }

        public bool InDown { get; }
    }
}
