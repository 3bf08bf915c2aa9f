using System.Net;
using System.Text.Json;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Checks that a response is an RFC 7807 problem with the expected status and stable code.</summary>
public static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.True(ContainsChinese(problem.GetProperty("title").GetString()), $"Problem title is not Chinese: {body}");
        Assert.True(ContainsChinese(problem.GetProperty("detail").GetString()), $"Problem detail is not Chinese: {body}");
        return problem;
    }

    /// <summary>Checks for a 405 <c>request.method_not_allowed</c> problem whose <c>Allow</c> header lists exactly <paramref name="allow"/>.</summary>
    public static async Task IsMethodNotAllowedAsync(HttpResponseMessage response, string allow)
    {
        await IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, "request.method_not_allowed");
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    private static bool ContainsChinese(string? text) => text is not null && text.Any(c => c is >= '\u4e00' and <= '\u9fff');
}
