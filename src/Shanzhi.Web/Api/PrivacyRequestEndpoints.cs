using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Cases;
using Shanzhi.Privacy.Requests;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary><c>POST /api/v1/privacy/requests</c>: staff register a personal-information request received by phone or letter.</summary>
public static class PrivacyRequestEndpoints
{
    public static void MapPrivacyRequestEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/privacy/requests", RegisterAsync).WithTags("个人信息保护").WithName("RegisterPrivacyRequest")
            .WithSummary("登记电话或信函收到的个人信息权利请求、投诉或举报，生成案件")
            .WithDescription("""
                kind：access（查阅复制）、correction（更正补充）、deletion（删除）、complaint（个人信息投诉）、report（个人信息违法举报）；
                districtCode：请求人所在区县的 6 位行政区划代码，案件位置取该区县中心点；
                description：只写请求事项。请勿在案件中填写请求人的姓名、证件号码、电话、住址等身份信息，联系方式留在来电或来信记录中。
                """)
            .RequireAuthorization()
            .DisableAntiforgery()
            .RejectUnexpectedInput();
    }

    private static async Task<Results<Created<CaseDto>, ProblemHttpResult>> RegisterAsync(
        PrivacyRequestInput body, HttpContext http, RegisterPrivacyRequest registration, CaseService cases, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var user = http.User.ToStaffPrincipal() ?? throw new InvalidOperationException("An authorized endpoint ran without a staff principal.");
        var result = await registration.RegisterAsync(body, user, cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        var @case = result.Value!;
        return TypedResults.Created($"/api/v1/cases/{@case.Id}", CaseDto.From(@case, clock.GetUtcNow(), cases.AllowedActions(@case, user)));
    }
}
