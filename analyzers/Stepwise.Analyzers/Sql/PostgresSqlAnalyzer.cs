using System;
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

            var sqlMethods = SqlMethods.Of(postgresContext);

            // One action per class declaration, not a symbol-start action: the compiler's bookkeeping for symbol-start
            // analyzers cost more build time than all the SQL checks together (see docs/benchmarks.md).
            start.RegisterSyntaxNodeAction(c => AnalyzeClass(c, symbols, sqlMethods), SyntaxKind.ClassDeclaration);
        });
    }

    private static void AnalyzeClass(SyntaxNodeAnalysisContext context, MigrationSymbols symbols, SqlMethods sqlMethods)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;

        // The calls are found by name first (syntax only), so a class that passes no SQL is never bound. Nested types are
        // declarations of their own.
        List<InvocationExpressionSyntax>? calls = null;
        foreach (var node in declaration.DescendantNodes(n => n == declaration || n is not BaseTypeDeclarationSyntax))
        {
            if (node is InvocationExpressionSyntax invocation && invocation.ArgumentList.Arguments.Count > 0 &&
                sqlMethods.Contains(CalledName(invocation.Expression)))
            {
                (calls ??= new List<InvocationExpressionSyntax>()).Add(invocation);
            }
        }

        if (calls is null ||
            context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type ||
            !symbols.IsConcreteMigration(type))
        {
            return;
        }

        var commands = new List<Command>(calls.Count);
        foreach (var invocation in calls)
        {
            if (Collect(context, invocation, sqlMethods) is { } command)
            {
                commands.Add(command);
            }
        }

        Check(context, declaration, type, symbols, commands);
    }

    private static Command? Collect(SyntaxNodeAnalysisContext context, InvocationExpressionSyntax invocation, SqlMethods sqlMethods)
    {
        // The common shape, db.ExecuteAsync("literal", ...) on a PostgresContext parameter, is read from syntax: binding
        // the method body to confirm it would double the compiler's work on every migration.
        if (sqlMethods.LiteralSqlOf(invocation, context.SemanticModel, context.CancellationToken) is { } literal)
        {
            return new Command(SqlText.FromLiteral(literal, context.CancellationToken), IsInDown(invocation));
        }

        if (context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol method ||
            !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, sqlMethods.Context) ||
            SqlArgument(invocation, method) is not { } argument ||
            context.SemanticModel.GetOperation(argument.Expression, context.CancellationToken) is not { } value)
        {
            return null;
        }

        var text = SqlText.From(value, context.CancellationToken, out var nonConstant);
        if (nonConstant is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SW2014NonConstantSql, nonConstant.GetLocation(), Quote(nonConstant)));
        }

        return text is null ? null : new Command(text, IsInDown(invocation));
    }

    internal static IParameterSymbol? SqlParameter(IMethodSymbol method) =>
        method.Parameters.FirstOrDefault(p => p is { Name: "sql", Type.SpecialType: SpecialType.System_String });

    internal static string CalledName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => string.Empty,
    };

    private static ArgumentSyntax? SqlArgument(InvocationExpressionSyntax invocation, IMethodSymbol method) =>
        SqlParameter(method) is { } parameter ? SqlMethods.SqlArgument(invocation.ArgumentList.Arguments, parameter.Ordinal) : null;

    private static void Check(
        SyntaxNodeAnalysisContext context, ClassDeclarationSyntax declaration, INamedTypeSymbol type, MigrationSymbols symbols, List<Command> commands)
    {
        if (commands.Count == 0)
        {
            return;
        }

        var parsed = commands.Select(c => (Command: c, Statements: SqlStatement.Split(SqlTokenizer.Tokenize(c.Sql.Text)))).ToList();
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, statements) in parsed)
        {
            created.UnionWith(PostgresStatementRules.CreatedTables(statements));
        }

        // A partial migration's other parts may create the table this part indexes: their string literals are read
        // without binding (this action's semantic model covers its own file only).
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != declaration.SyntaxTree || reference.Span != declaration.Span)
            {
                created.UnionWith(CreatedTablesInLiterals(reference.GetSyntax(context.CancellationToken)));
            }
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

    private static IEnumerable<string> CreatedTablesInLiterals(SyntaxNode part)
    {
        foreach (var token in part.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) ||
                token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
            {
                foreach (var table in PostgresStatementRules.CreatedTables(SqlStatement.Split(SqlTokenizer.Tokenize(token.ValueText))))
                {
                    yield return table;
                }
            }
        }
    }

    // SQL in Down (or in a lambda or local function inside it) reverts Up: dropping what Up created is its job.
    private static bool IsInDown(SyntaxNode node)
    {
        var member = node.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        return member is MethodDeclarationSyntax { Identifier.ValueText: "Down" } method && method.Modifiers.Any(SyntaxKind.OverrideKeyword);
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
