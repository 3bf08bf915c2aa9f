namespace Shanzhi.Web.Api;

/// <summary>The range check of <c>page</c> and <c>pageSize</c> that every paged list applies before querying.</summary>
public static class Paging
{
    public const string InvalidCode = "request.invalid_paging";

    /// <summary>
    /// The problem naming the parameter out of range (<c>page</c> first, because a page past the
    /// end is simply empty but one before the first is a client bug), or null when both are valid.
    /// </summary>
    public static Error? Check(int page, int pageSize, int maxPageSize)
    {
        if (page < 1)
        {
            return Error.Invalid(InvalidCode, "page", $"页码 page 必须是从 1 开始的整数，当前为 {page}。");
        }

        if (pageSize < 1 || pageSize > maxPageSize)
        {
            return Error.Invalid(InvalidCode, "pageSize", $"每页条数 pageSize 必须在 1 到 {maxPageSize} 之间，当前为 {pageSize}。");
        }

        return null;
    }
}
