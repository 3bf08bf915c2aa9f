namespace Shanzhi.Web.Components.Field;

/// <summary>Log messages of the phone pages; event ids 7090–7099, at the end of the grid module's range.</summary>
internal static partial class FieldLog
{
    [LoggerMessage(EventId = 7090, Level = LogLevel.Information, Message = "Field page {Page} rejected a post by user {UserId}: {Code}")]
    public static partial void PostRejected(this ILogger logger, string page, Guid? userId, string code);

    [LoggerMessage(EventId = 7091, Level = LogLevel.Information, Message = "Field page {Path} got a post without a valid antiforgery token from user {UserId}; the form is shown again")]
    public static partial void FormTokenRejected(this ILogger logger, string path, Guid? userId);
}
