namespace Shanzhi.Web.Components.Field;

/// <summary>Log messages of the phone pages; event ids 6450–6459, next to the grid module's.</summary>
internal static partial class FieldLog
{
    [LoggerMessage(EventId = 6450, Level = LogLevel.Information, Message = "Field page {Page} rejected a post by user {UserId}: {Code}")]
    public static partial void PostRejected(this ILogger logger, string page, Guid? userId, string code);

    [LoggerMessage(EventId = 6451, Level = LogLevel.Information, Message = "Field page {Path} got a post without a valid antiforgery token from user {UserId}; the form is shown again")]
    public static partial void FormTokenRejected(this ILogger logger, string path, Guid? userId);
}
