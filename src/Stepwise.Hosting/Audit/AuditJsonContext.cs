using System.Text.Json.Serialization;
using Stepwise.Observing;

namespace Stepwise.Hosting.Audit;

/// <summary>Audit entries as one line of JSON each (camelCase; absent values left out), without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
