using System.Globalization;
using Microsoft.AspNetCore.Components;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Web.Api;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Components.Field;

/// <summary>
/// Base of the static phone pages: the request, the signed-in worker, and the error the page
/// shows instead of failing. Pages answer a post by redirecting (post/redirect/get), so a reload
/// never submits a report twice.
/// </summary>
public abstract class FieldPageBase : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ILogger<FieldPageBase> Logger { get; set; } = default!;

    /// <summary>The signed-in worker; the pages' [Authorize] guarantees a staff cookie.</summary>
    protected StaffPrincipal Me => HttpContext.User.ToStaffPrincipal()
        ?? throw new InvalidOperationException("Field page rendered without a staff principal.");

    /// <summary>The worker's user id as the incentive ledger keys it.</summary>
    protected string UserKey => Me.UserId?.ToString("D") ?? "";

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    private const string FormExpiredItem = "shanzhi.field.form-expired";

    private Error? _problem;

    /// <summary>The failure of the last post, or the reason the page has nothing to show, displayed at the top.</summary>
    protected Error? Problem
    {
        get => _problem ?? (HttpContext.Items.ContainsKey(FormExpiredItem) ? Problems.FormTokenInvalid : null);
        set => _problem = value;
    }

    /// <summary>
    /// Marks the request so that the page shows <see cref="Problems.FormTokenInvalid"/>. The post had
    /// no valid antiforgery token, so the page renders a fresh form instead (see <see cref="AntiforgeryProblems"/>).
    /// </summary>
    public static void MarkFormExpired(HttpContext context)
    {
        context.Items[FormExpiredItem] = true;
        context.RequestServices.GetRequiredService<ILogger<FieldPageBase>>().FormTokenRejected(context.Request.Path.Value ?? "", context.User.ToStaffPrincipal()?.UserId);
    }

    /// <summary>Shows why a post was rejected and logs the error code with the user id.</summary>
    protected void Reject(Error error)
    {
        Problem = error;
        Logger.PostRejected(GetType().Name, Me.UserId, error.Code);
    }

    /// <summary>
    /// Rejects a post with a control character in any text field, as the JSON API and the other
    /// forms do (<see cref="InputHygiene.FieldWithControlCharacters"/>). Pages call it first in their
    /// submit handler and stop when it returns false, because the page then shows the error.
    /// </summary>
    protected async Task<bool> CheckPostedTextAsync()
    {
        var form = await HttpContext.Request.ReadFormAsync(Aborted);
        if (InputHygiene.FieldWithControlCharacters(form) is not { } field)
        {
            return true;
        }

        Reject(FieldText.ControlCharacters(field));
        return false;
    }

    /// <summary>Redirects to a page of this site after a successful post.</summary>
    protected void GoTo(string path) => Navigation.NavigateTo(path);

    /// <summary>
    /// The posted photo (form field <c>photo</c>), checked for size and format but not stored;
    /// null when none was chosen.
    /// </summary>
    protected async Task<Result<Photo?>> ReadPhotoAsync(AttachmentService attachments)
    {
        var form = await HttpContext.Request.ReadFormAsync(Aborted);
        if (form.Files.GetFile("photo") is not { Length: > 0 } file)
        {
            return (Photo?)null;
        }

        if (file.Length > attachments.MaxBytes)
        {
            return AttachmentErrors.TooLarge(attachments.MaxBytes);
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, Aborted);
        var bytes = buffer.ToArray();
        return attachments.CheckPhoto(bytes, file.ContentType) is { } invalid ? invalid : new Photo(file.ContentType, bytes);
    }

    /// <summary>Parses typed or script-filled coordinates; both dot decimals, as phones' geolocation gives them.</summary>
    protected static Result<(double Latitude, double Longitude)> ParsePosition(string? latitude, string? longitude)
    {
        if (string.IsNullOrWhiteSpace(latitude) || string.IsNullOrWhiteSpace(longitude))
        {
            return FieldText.PositionRequired;
        }

        const NumberStyles style = NumberStyles.Float;
        return double.TryParse(latitude.Trim(), style, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(longitude.Trim(), style, CultureInfo.InvariantCulture, out var lng)
            && double.IsFinite(lat) && double.IsFinite(lng)
            ? (lat, lng)
            : FieldText.PositionInvalid;
    }
}

/// <summary>A checked photo from a field form, waiting for the record it belongs to.</summary>
public sealed record Photo(string ContentType, byte[] Bytes)
{
    public Stream Open() => new MemoryStream(Bytes, writable: false);
}
