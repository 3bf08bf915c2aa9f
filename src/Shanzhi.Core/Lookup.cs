namespace Shanzhi;

/// <summary>Refusal reasons of <see cref="Lookup{T}"/> shared by several record types, as stored in audit entries.</summary>
public static class Lookup
{
    /// <summary>The record lies outside the caller's region scope.</summary>
    public const string OutOfScope = "out of scope";

    /// <summary>The caller's roles may not use this kind of record at all.</summary>
    public const string RoleNotAllowed = "role not allowed";
}

/// <summary>
/// A single record looked up for a caller: the record, or the <see cref="Error"/> the caller sees
/// together with the reason the audit log records. A record outside the caller's scope gets the
/// same error as a missing one, so record ids cannot be probed. Only <see cref="RefusalReason"/>
/// distinguishes the two, and it is never returned to the caller.
/// </summary>
public readonly record struct Lookup<T>
{
    private Lookup(T? value, Error? error, string? refusalReason)
    {
        Value = value;
        Error = error;
        RefusalReason = refusalReason;
    }

    public T? Value { get; }

    public Error? Error { get; }

    /// <summary>
    /// Why the caller was refused, in the audit log's English words. Null when the record was found
    /// or is missing. A role is checked before the lookup, so a role refusal has a reason whether
    /// the record exists or not.
    /// </summary>
    public string? RefusalReason { get; }

    public static implicit operator Lookup<T>(T value) => new(value, null, null);

    /// <summary>The record does not exist.</summary>
    public static Lookup<T> Missing(Error error) => new(default, error, null);

    /// <summary>The record may exist, but the caller may not have it. The caller gets <paramref name="error"/> and the audit log <paramref name="reason"/>.</summary>
    public static Lookup<T> Refused(Error error, string reason) => new(default, error, reason);
}
