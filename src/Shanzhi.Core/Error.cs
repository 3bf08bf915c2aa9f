namespace Shanzhi;

/// <summary>
/// An expected failure: a stable machine code (<c>case.already_closed</c>), a Chinese title and
/// detail for the user, and the HTTP status the web host maps it to.
/// </summary>
public sealed record Error(string Code, string Title, string Detail, int Status = 400, string? Field = null)
{
    public static Error NotFound(string code, string detail) => new(code, "未找到", detail, 404);

    public static Error Forbidden(string code, string detail) => new(code, "无权操作", detail, 403);

    public static Error Conflict(string code, string title, string detail) => new(code, title, detail, 409);

    public static Error Invalid(string code, string field, string detail) => new(code, "输入有误", detail, 400, field);
}

/// <summary>A value or the <see cref="Error"/> that prevented it.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
