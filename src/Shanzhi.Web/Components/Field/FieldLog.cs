namespace Shanzhi.Web.Components.Field;

/// <summary>Log messages of the phone pages; event ids 6450–6459, next to the grid module's.</summary>
internal static partial class FieldLog
{
    [LoggerMessage(EventId = 6450, Level = LogLevel.Information, Message = "Field page {Page} rejected a post by user {UserId}: {Code}")]
    public static partial void PostRejected(this ILogger logger, string page, Guid? userId, string code);
}
