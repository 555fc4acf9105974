using Npgsql;
using Stepwise.Verification;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// Reads a database's schema as <see cref="SchemaSnapshot"/> facts from the catalogs: schemas, relations and their
/// columns, column order, constraints, indexes (and whether they are valid), view definitions, triggers, rules,
/// policies, functions, enum labels in order, domains, sequences (parameters and owning column), default privileges,
/// grants, comments and extensions. Names only, never object ids, so that a schema dropped and created again reads the
/// same. The runner's own schema and its backups are left out.
/// </summary>
internal static class SchemaFacts
{
    private const string Query =
        """
        WITH ns AS (
            SELECT oid, nspname, nspowner, nspacl FROM pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'stepwise') AND nspname NOT LIKE 'pg\_%' AND nspname NOT LIKE 'stepwise\_backup\_%'
        ),
        member AS (SELECT objid, classid FROM pg_depend WHERE deptype = 'e'),
        rel AS (
            SELECT c.oid, c.relkind, c.relowner, c.relacl, c.relpersistence, c.relrowsecurity, format('%I.%I', n.nspname, c.relname) AS qname
            FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
            WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.objid = c.oid AND m.classid = 'pg_class'::regclass)
        )
        SELECT format('schema %I owner %s%s', nspname, pg_get_userbyid(nspowner), coalesce(' grants ' || nspacl::text, '')) FROM ns
        UNION ALL
        SELECT format('relation %s kind %s owner %s%s%s%s', qname, relkind, pg_get_userbyid(relowner),
                      CASE relpersistence WHEN 'u' THEN ' unlogged' ELSE '' END, CASE WHEN relrowsecurity THEN ' row-security' ELSE '' END,
                      coalesce(' grants ' || relacl::text, ''))
        FROM rel WHERE relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
        UNION ALL
        SELECT format('definition of %s: %s', qname, btrim(regexp_replace(pg_get_viewdef(oid), '\s+', ' ', 'g'))) FROM rel WHERE relkind IN ('v', 'm')
        UNION ALL
        SELECT format('column %s.%I %s%s%s%s%s%s', r.qname, a.attname, format_type(a.atttypid, a.atttypmod),
                      CASE WHEN a.attnotnull THEN ' not null' ELSE '' END, coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''),
                      CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END,
                      CASE a.attgenerated WHEN 's' THEN ' generated' ELSE '' END, coalesce(' grants ' || a.attacl::text, ''))
        FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
        UNION ALL
        SELECT format('column order of %s: %s', r.qname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum))
        FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') GROUP BY r.qname
        UNION ALL
        SELECT format('constraint %s %I: %s%s', r.qname, c.conname, pg_get_constraintdef(c.oid), CASE WHEN NOT c.convalidated THEN ' (not validated)' ELSE '' END)
        FROM pg_constraint c JOIN rel r ON r.oid = c.conrelid
        UNION ALL
        SELECT format('index %s%s', regexp_replace(pg_get_indexdef(i.indexrelid), '\s+', ' ', 'g'), CASE WHEN NOT i.indisvalid THEN ' (INVALID)' ELSE '' END)
        FROM pg_index i JOIN rel r ON r.oid = i.indrelid
        UNION ALL
        SELECT format('trigger %s (%s)', pg_get_triggerdef(t.oid), t.tgenabled) FROM pg_trigger t JOIN rel r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
        UNION ALL
        SELECT format('rule %s', regexp_replace(pg_get_ruledef(w.oid), '\s+', ' ', 'g')) FROM pg_rewrite w JOIN rel r ON r.oid = w.ev_class WHERE w.rulename <> '_RETURN'
        UNION ALL
        SELECT format('policy %s %I: %s for %s to %s using %s with check %s', r.qname, p.polname, CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END,
                      p.polcmd, array_to_string(ARRAY(SELECT CASE WHEN o = 0 THEN 'public' ELSE pg_get_userbyid(o) END FROM unnest(p.polroles) o ORDER BY 1), ','),
                      coalesce(pg_get_expr(p.polqual, p.polrelid), '-'), coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-'))
        FROM pg_policy p JOIN rel r ON r.oid = p.polrelid
        UNION ALL
        SELECT format('sequence %s: %s increment %s min %s max %s start %s cache %s%s', r.qname, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin,
                      s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END)
        FROM pg_sequence s JOIN rel r ON r.oid = s.seqrelid
        UNION ALL
        SELECT format('sequence %s owned by %s.%I', s.qname, t.qname, a.attname)
        FROM pg_depend d JOIN rel s ON s.oid = d.objid AND s.relkind = 'S' JOIN rel t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        UNION ALL
        SELECT format('%s %I.%I(%s)%s owner %s%s: definition %s', CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
                      n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), coalesce(' returns ' || pg_get_function_result(p.oid), ''),
                      pg_get_userbyid(p.proowner), coalesce(' grants ' || p.proacl::text, ''),
                      CASE WHEN p.prokind = 'a' THEN '-' ELSE left(md5(pg_get_functiondef(p.oid)), 12) END)
        FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
        WHERE NOT EXISTS (SELECT 1 FROM member m WHERE m.objid = p.oid AND m.classid = 'pg_proc'::regclass)
        UNION ALL
        SELECT format('enum %I.%I owner %s: %s', n.nspname, t.typname, pg_get_userbyid(t.typowner), string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder))
        FROM pg_type t JOIN ns n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
        GROUP BY n.nspname, t.typname, t.typowner
        UNION ALL
        SELECT format('%s %I.%I owner %s%s%s%s', CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'range type' END, n.nspname, t.typname, pg_get_userbyid(t.typowner),
                      CASE WHEN t.typtype = 'd' THEN ' over ' || format_type(t.typbasetype, t.typtypmod) ELSE '' END,
                      CASE WHEN t.typnotnull THEN ' not null' ELSE '' END, coalesce(' default ' || t.typdefault, ''))
        FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('d', 'r') AND NOT EXISTS (SELECT 1 FROM member m WHERE m.objid = t.oid AND m.classid = 'pg_type'::regclass)
        UNION ALL
        SELECT format('constraint of domain %I.%I %I: %s', n.nspname, t.typname, c.conname, pg_get_constraintdef(c.oid))
        FROM pg_constraint c JOIN pg_type t ON t.oid = c.contypid JOIN ns n ON n.oid = t.typnamespace
        UNION ALL
        SELECT format('default privileges of %s%s on %s: %s', pg_get_userbyid(d.defaclrole), coalesce(' in ' || quote_ident(n.nspname), ''), d.defaclobjtype,
                      d.defaclacl::text)
        FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
        UNION ALL
        SELECT format('extension %I %s in %I', e.extname, e.extversion, n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        UNION ALL
        SELECT format('comment on %s%s: %s', r.qname, coalesce('.' || quote_ident(a.attname), ''), d.description)
        FROM pg_description d JOIN rel r ON r.oid = d.objoid AND d.classoid = 'pg_class'::regclass
        LEFT JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = d.objsubid AND d.objsubid > 0
        """;

    public static async Task<SchemaSnapshot> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(Query, null, [], timeoutSeconds: 0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var facts = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            facts.Add(reader.GetString(0));
        }

        facts.Sort(StringComparer.Ordinal);
        return new SchemaSnapshot(facts);
    }
}
