using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Cases;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// The working calendar's exceptions per year: public holidays on weekdays and make-up working
/// days (调休) on weekends, loaded by an administrator from the State Council's annual notice.
/// </summary>
public static class CalendarEndpoints
{
    public sealed record CalendarDayDto(DateOnly Date, bool IsWorkingDay, string Note);

    /// <summary>An entry of a <c>PUT</c> body; <c>isWorkingDay</c> is required so a missing value is not read as a holiday.</summary>
    public sealed record CalendarDayBody(DateOnly Date, [property: System.Text.Json.Serialization.JsonRequired] bool IsWorkingDay, string? Note);

    public static void MapCalendarEndpoints(this WebApplication app)
    {
        var calendar = app.MapGroup("/api/v1/calendar").WithTags("工作日历").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        calendar.MapGet("/{year:int}", ListAsync).WithName("GetCalendarYear").WithSummary("某年的节假日与调休工作日");
        calendar.MapPut("/{year:int}", LoadAsync).WithName("LoadCalendarYear")
            .WithSummary("整体替换某年的节假日与调休工作日（系统管理员）；isWorkingDay=false 为工作日放假，true 为周末调休上班");
    }

    private static async Task<Ok<List<CalendarDayDto>>> ListAsync(int year, CalendarService calendar, CancellationToken cancellationToken) =>
        TypedResults.Ok((await calendar.ListYearAsync(year, cancellationToken)).Select(d => new CalendarDayDto(d.Date, d.IsWorkingDay, d.Note)).ToList());

    private static async Task<Results<Ok<List<CalendarDayDto>>, ProblemHttpResult>> LoadAsync(
        int year, List<CalendarDayBody> days, HttpContext http, CalendarService calendar, CancellationToken cancellationToken)
    {
        if (days.Any(d => d is null))
        {
            return Problems.Invalid("calendar.invalid_day", "days", "日历列表中有空项，每一项都需要 date、isWorkingDay 和 note。");
        }

        var result = await calendar.LoadYearAsync(
            year,
            days.Select(d => new CalendarDay { Date = d.Date, IsWorkingDay = d.IsWorkingDay, Note = d.Note ?? "" }).ToList(),
            http.User.ToStaffPrincipal()!,
            cancellationToken);
        return result.Error is { } error ? Problems.From(error) : await ListAsync(year, calendar, cancellationToken);
    }
}
