using System.Text.Json;

namespace Shanzhi.Epidemic.Gates;

public enum IdentityKind
{
    IdNumber = 1,
    PersonKey = 2,
    NoMatch = 3,
}

/// <summary>What a device reports for one person at its entrance.</summary>
/// <param name="Sequence">The device's own sequence number; a resend carries the same number.</param>
public sealed record GateCheckInput(long Sequence, DateTimeOffset OccurredAt, PassageDirection Direction, IdentityKind Kind, string? IdNumber = null, long? PersonKey = null);

/// <summary>
/// Reads a gate-check body strictly. Images never enter the platform, so a body is rejected with
/// <c>gate.image_rejected</c> when, anywhere in it, (1) a property name contains face, photo,
/// image, img, picture, portrait, avatar or snapshot (any case), or (2) a string value starts with
/// <c>data:image</c> or the base64 signature of a JPEG (<c>/9j/</c>), PNG (<c>iVBORw0KGgo</c>),
/// GIF (<c>R0lGOD</c>) or WebP (<c>UklGR</c>), or is longer than <see cref="MaxStringLength"/>
/// characters (no field of the check is longer than an ID number). After that any property other
/// than sequence, occurredAt, direction and identity {kind, idNumber, personKey} is rejected with
/// <c>gate.unknown_field</c>, so a renamed image field cannot slip through either. Names match
/// without regard to case.
/// </summary>
public static class GateCheckParser
{
    public const int MaxStringLength = 64;

    /// <summary>Bodies above this size are refused before parsing (HTTP 413).</summary>
    public const int MaxBodyBytes = 4096;

    private static readonly string[] ImageNameParts = ["face", "photo", "image", "img", "picture", "portrait", "avatar", "snapshot"];
    private static readonly string[] ImageSignatures = ["data:image", "/9j/", "iVBORw0KGgo", "R0lGOD", "UklGR"];
    private static readonly string[] TopLevel = ["sequence", "occurredAt", "direction", "identity"];
    private static readonly string[] IdentityFields = ["kind", "idNumber", "personKey"];

    public static Result<GateCheckInput> Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return GateErrors.MalformedBody;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return GateErrors.MalformedBody;
            }

            if (ContainsImage(root))
            {
                return GateErrors.ImageRejected;
            }

            return Unknown(root, TopLevel, "") ?? Read(root);
        }
    }

    private static Result<GateCheckInput> Read(JsonElement root)
    {
        if (!Find(root, "sequence", out var sequenceElement) || sequenceElement.ValueKind != JsonValueKind.Number
            || !sequenceElement.TryGetInt64(out var sequence) || sequence < 0)
        {
            return GateErrors.SequenceRequired;
        }

        // A time without an offset would be read as UTC and put the passage eight hours off.
        if (!Find(root, "occurredAt", out var atElement) || atElement.ValueKind != JsonValueKind.String
            || !PlatformDates.HasOffset(atElement.GetString()!) || !atElement.TryGetDateTimeOffset(out var occurredAt)
            || !PlatformDates.IsSupported(occurredAt))
        {
            return GateErrors.OccurredAtRequired;
        }

        if (!Find(root, "direction", out var directionElement) || directionElement.ValueKind != JsonValueKind.String
            || !Enum.TryParse<PassageDirection>(directionElement.GetString(), ignoreCase: true, out var direction)
            || !string.Equals(Enum.GetName(direction), directionElement.GetString(), StringComparison.OrdinalIgnoreCase))
        {
            return GateErrors.DirectionRequired;
        }

        if (!Find(root, "identity", out var identity) || identity.ValueKind != JsonValueKind.Object)
        {
            return GateErrors.IdentityRequired;
        }

        if (Unknown(identity, IdentityFields, "identity.") is { } unknown)
        {
            return unknown;
        }

        var kind = Find(identity, "kind", out var kindElement) && kindElement.ValueKind == JsonValueKind.String ? kindElement.GetString() : null;
        var at = occurredAt.ToUniversalTime();
        switch (kind?.ToUpperInvariant())
        {
            case "IDNUMBER":
                return Find(identity, "idNumber", out var id) && id.ValueKind == JsonValueKind.String && ChineseIdNumberIsValid(id.GetString()!)
                    ? new GateCheckInput(sequence, at, direction, IdentityKind.IdNumber, IdNumber: id.GetString())
                    : GateErrors.InvalidIdNumber;
            case "PERSONKEY":
                return Find(identity, "personKey", out var key) && key.ValueKind == JsonValueKind.Number && key.TryGetInt64(out var personKey) && personKey > 0
                    ? new GateCheckInput(sequence, at, direction, IdentityKind.PersonKey, PersonKey: personKey)
                    : GateErrors.PersonKeyRequired;
            case "NOMATCH":
                return new GateCheckInput(sequence, at, direction, IdentityKind.NoMatch);
            default:
                return GateErrors.IdentityRequired;
        }
    }

    private static bool ChineseIdNumberIsValid(string value) => Privacy.ChineseIdNumber.IsValid(value);

    /// <summary>The image rule above, applied to any JSON; the passage batch API refuses images with it too.</summary>
    public static bool ContainsImage(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p => IsImageName(p.Name) || ContainsImage(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(ContainsImage),
        JsonValueKind.String => IsImageText(element.GetString()!),
        _ => false,
    };

    private static bool IsImageName(string name) => ImageNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    private static bool IsImageText(string value) =>
        value.Length > MaxStringLength || ImageSignatures.Any(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Finds a property that is not allowed, or one given twice in any letter case: a device and a
    /// proxy that took different copies of the sequence would disagree about the passage.
    /// </summary>
    private static Error? Unknown(JsonElement element, string[] allowed, string prefix)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
            {
                return GateErrors.UnknownField(prefix + property.Name);
            }

            if (!seen.Add(property.Name))
            {
                return GateErrors.DuplicateField(prefix + allowed.First(a => a.Equals(property.Name, StringComparison.OrdinalIgnoreCase)));
            }
        }

        return null;
    }

    private static bool Find(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
