using System.Text.Json;
using System.Text.Unicode;

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
/// without regard to case. The identity carries only the field of its kind, and a field of
/// another kind is rejected with <c>gate.identity_field_unexpected</c>. A field that is absent,
/// null or empty gets a <c>_required</c> code, and one present in the wrong form an
/// <c>_invalid</c> code: an identity that is not an object gets <c>gate.identity_invalid</c>, and
/// an identity kind other than idNumber, personKey and noMatch gets <c>gate.identity_kind_invalid</c>.
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
        utf8Json = utf8Json[TextRules.ByteOrderMarkLength(utf8Json)..];

        // The JSON reader checks structure only: invalid UTF-8 inside a string would first fail when
        // the string is read, as an InvalidOperationException.
        if (!Utf8.IsValid(utf8Json))
        {
            return GateErrors.MalformedBody;
        }

        JsonDocument? document = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);

            // ParseValue stops after the first value. Anything but white space after it makes the
            // body something other than one JSON object, and Read throws on it.
            if (reader.Read())
            {
                document.Dispose();
                return GateErrors.MalformedBody;
            }
        }
        catch (JsonException)
        {
            document?.Dispose();
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

            var fields = new JsonElement[TopLevel.Length];
            return Collect(root, TopLevel, "", fields) ?? Read(fields);
        }
    }

    /// <summary>Reads the top-level fields, in the order of <see cref="TopLevel"/>; a missing field is <c>default</c>.</summary>
    private static Result<GateCheckInput> Read(ReadOnlySpan<JsonElement> fields)
    {
        var (sequenceElement, atElement, directionElement, identity) = (fields[0], fields[1], fields[2], fields[3]);
        if (IsMissing(sequenceElement))
        {
            return GateErrors.SequenceRequired;
        }

        if (sequenceElement.ValueKind != JsonValueKind.Number || !sequenceElement.TryGetInt64(out var sequence) || sequence < 0)
        {
            return GateErrors.SequenceInvalid;
        }

        if (IsMissing(atElement))
        {
            return GateErrors.OccurredAtRequired;
        }

        // A time without an offset would be read as UTC and put the passage eight hours off. A
        // well-formed time of any year is read, and CheckGate.Validate rejects one outside the
        // accepted window as too old or in the future.
        if (atElement.ValueKind != JsonValueKind.String || !PlatformDates.TryParseInstant(atElement.GetString()!, out var occurredAt))
        {
            return GateErrors.OccurredAtInvalid;
        }

        if (IsMissing(directionElement))
        {
            return GateErrors.DirectionRequired;
        }

        if (directionElement.ValueKind != JsonValueKind.String
            || !Enum.TryParse<PassageDirection>(directionElement.GetString(), ignoreCase: true, out var direction)
            || !string.Equals(Enum.GetName(direction), directionElement.GetString(), StringComparison.OrdinalIgnoreCase))
        {
            return GateErrors.DirectionInvalid;
        }

        if (IsMissing(identity))
        {
            return GateErrors.IdentityRequired;
        }

        if (identity.ValueKind != JsonValueKind.Object)
        {
            return GateErrors.IdentityInvalid;
        }

        var identityFields = new JsonElement[IdentityFields.Length];
        if (Collect(identity, IdentityFields, "identity.", identityFields) is { } unknown)
        {
            return unknown;
        }

        var (kindElement, id, key) = (identityFields[0], identityFields[1], identityFields[2]);
        var kind = kindElement.ValueKind == JsonValueKind.String ? kindElement.GetString() : null;
        var at = occurredAt.ToUniversalTime();
        switch (kind?.ToUpperInvariant())
        {
            case "IDNUMBER":
                if (key.ValueKind != JsonValueKind.Undefined)
                {
                    return GateErrors.IdentityFieldUnexpected("idNumber", "identity.personKey");
                }

                return id.ValueKind == JsonValueKind.String && ChineseIdNumberIsValid(id.GetString()!)
                    ? new GateCheckInput(sequence, at, direction, IdentityKind.IdNumber, IdNumber: id.GetString())
                    : GateErrors.InvalidIdNumber;
            case "PERSONKEY":
                if (id.ValueKind != JsonValueKind.Undefined)
                {
                    return GateErrors.IdentityFieldUnexpected("personKey", "identity.idNumber");
                }

                if (IsMissing(key))
                {
                    return GateErrors.PersonKeyRequired;
                }

                return key.ValueKind == JsonValueKind.Number && key.TryGetInt64(out var personKey) && personKey > 0
                    ? new GateCheckInput(sequence, at, direction, IdentityKind.PersonKey, PersonKey: personKey)
                    : GateErrors.PersonKeyInvalid;
            case "NOMATCH":
                if (id.ValueKind != JsonValueKind.Undefined || key.ValueKind != JsonValueKind.Undefined)
                {
                    return GateErrors.IdentityFieldUnexpected("noMatch", id.ValueKind != JsonValueKind.Undefined ? "identity.idNumber" : "identity.personKey");
                }

                return new GateCheckInput(sequence, at, direction, IdentityKind.NoMatch);
            default:
                return IsMissing(kindElement) ? GateErrors.IdentityRequired : GateErrors.IdentityKindInvalid;
        }
    }

    /// <summary>Absent, null or an empty string: the device did not fill the field in.</summary>
    private static bool IsMissing(JsonElement element) =>
        element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
        || (element.ValueKind == JsonValueKind.String && element.ValueEquals(ReadOnlySpan<byte>.Empty));

    private static bool ChineseIdNumberIsValid(string value) => Privacy.ChineseIdNumber.IsValid(value);

    /// <summary>The image rule above, applied to any JSON; the passage batch API refuses images with it too.</summary>
    /// <remarks>Loops, not LINQ, because every gate check runs this and its lambdas and enumerators showed in the check's allocation profile.</remarks>
    public static bool ContainsImage(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (IsImageName(property.Name) || ContainsImage(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (ContainsImage(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.String:
                return IsImageText(element.GetString()!);
            default:
                return false;
        }
    }

    private static bool IsImageName(string name)
    {
        foreach (var part in ImageNameParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsImageText(string value)
    {
        if (value.Length > MaxStringLength)
        {
            return true;
        }

        foreach (var signature in ImageSignatures)
        {
            if (value.StartsWith(signature, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Puts each property's value in <paramref name="values"/> at the index of its name in
    /// <paramref name="allowed"/>, matched in any letter case. Returns the error for the first
    /// property that is not allowed, or that is given twice: a device and a proxy that took
    /// different copies of the sequence would disagree about the passage.
    /// </summary>
    private static Error? Collect(JsonElement element, string[] allowed, string prefix, Span<JsonElement> values)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var index = IndexOf(allowed, name);
            if (index < 0)
            {
                return GateErrors.UnknownField(prefix + name);
            }

            if (values[index].ValueKind != JsonValueKind.Undefined)
            {
                return GateErrors.DuplicateField(prefix + allowed[index]);
            }

            values[index] = property.Value;
        }

        return null;
    }

    private static int IndexOf(string[] names, string name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
