using Shanzhi.Privacy.Classification;

namespace Shanzhi.Web.Api;

/// <summary><c>GET /api/v1/privacy/processing-record</c>: the record of processing activities, generated from the data-class declarations.</summary>
public static class PrivacyEndpoints
{
    /// <summary>Chinese meaning of each field of the response, for readers of the raw JSON.</summary>
    private static readonly IReadOnlyDictionary<string, string> Legend = new Dictionary<string, string>
    {
        ["activity"] = "处理活动",
        ["entity"] = "数据对象",
        ["table"] = "数据表",
        ["property"] = "字段",
        ["column"] = "数据列",
        ["class"] = "数据分类（Personal 个人信息 / Sensitive 敏感个人信息）",
        ["className"] = "数据分类（中文）",
        ["purpose"] = "处理目的",
        ["recipients"] = "接收方（本职能工作人员以外）",
        ["retentionDays"] = "保存期限（天，0 表示尚未设定）",
        ["retention"] = "保存期限说明",
        ["unclassified"] = "尚未分类的字段（应为空）",
    };

    public sealed record ProcessingRecordDto(string Title, IReadOnlyDictionary<string, string> Legend,
        IReadOnlyList<ProcessingActivity> Activities, IReadOnlyList<string> Unclassified);

    public static void MapPrivacyEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/privacy/processing-record", GetProcessingRecord).WithTags("个人信息保护").WithName("GetProcessingRecord")
            .WithSummary("个人信息处理活动记录：各数据表中的个人信息与敏感个人信息字段、处理目的、接收方与保存期限")
            .RequireAuthorization()
            .RejectUnexpectedInput();
    }

    private static ProcessingRecordDto GetProcessingRecord(HttpContext context)
    {
        var record = ProcessingRecord.For(context.RequestServices);
        return new ProcessingRecordDto("个人信息处理活动记录", Legend, record.Activities, record.Unclassified);
    }
}
