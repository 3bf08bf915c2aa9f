using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;
using Shanzhi.Privacy;

namespace Shanzhi.Web.Auth;

/// <summary>
/// Identity's sign-in manager that also records sign-ins, failed sign-ins and sign-outs in the
/// audit log, whichever endpoint or page calls it. A failed sign-in records the user name as
/// typed, because the account may not exist.
/// </summary>
public sealed class AuditingSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation,
    IAuditLog audit,
    UnknownUserNameLockout unknownUserNames)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private bool _refreshing;

    /// <summary>
    /// Records a sign-in attempt with an unknown user name, which fails and locks out like an
    /// account (see <see cref="UnknownUserNameLockout"/>); known users are recorded by the password check.
    /// </summary>
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is { } user)
        {
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        }

        var typed = userName.Length > AuditRecord.ActorNameMaxLength ? userName[..AuditRecord.ActorNameMaxLength] : userName;
        await AppendAsync(new AuditEntry(AuditAction.LoginFailed, null, typed, "user", null, Detail: FailureDetail(SignInResult.Failed, null)));
        return unknownUserNames.CheckPassword(UserManager.NormalizeName(userName), password, UserManager.PasswordHasher, lockoutOnFailure);
    }

    /// <summary>
    /// Records a failed password check, and rejects a disabled account as
    /// <see cref="SignInResult.NotAllowed"/>. Every password path (one-step sign-in, the first step
    /// before a second factor, the check before enrolment) goes through here.
    /// </summary>
    public override async Task<SignInResult> CheckPasswordSignInAsync(StaffUser user, string password, bool lockoutOnFailure)
    {
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);

        // Checked after the password, so a wrong password gets the same response as for an active
        // account, and only someone with the right password learns that the account is disabled.
        if (result.Succeeded && user.IsDisabled)
        {
            result = SignInResult.NotAllowed;
        }

        if (!result.Succeeded)
        {
            await AppendAsync(new AuditEntry(AuditAction.LoginFailed, user.Id, user.DisplayName, "user", user.Id.ToString(),
                Detail: FailureDetail(result, user)));
        }

        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (!result.Succeeded && await GetTwoFactorAuthenticationUserAsync() is { } user)
        {
            await AppendAsync(new AuditEntry(AuditAction.LoginFailed, user.Id, user.DisplayName, "user", user.Id.ToString(),
                Detail: result.IsLockedOut ? "locked out at second factor" : "second factor rejected"));
        }

        return result;
    }

    /// <summary>Every successful sign-in ends here (password, second factor); a cookie refresh is not a sign-in.</summary>
    public override async Task SignInWithClaimsAsync(StaffUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.ToList();
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
        if (!_refreshing)
        {
            var method = claims.FirstOrDefault(c => c.Type == "amr")?.Value;
            await AppendAsync(new AuditEntry(AuditAction.Login, user.Id, user.DisplayName, "user", user.Id.ToString(), Detail: method));
        }
    }

    public override async Task RefreshSignInAsync(StaffUser user)
    {
        _refreshing = true;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            _refreshing = false;
        }
    }

    /// <summary>
    /// Rejects the stamp of a disabled account too, so its sessions end even if the stamp was not
    /// changed when it was disabled (by an edit in the database, for example).
    /// </summary>
    public override async Task<bool> ValidateSecurityStampAsync(StaffUser? user, string? securityStamp) =>
        user is { IsDisabled: false } && await base.ValidateSecurityStampAsync(user, securityStamp);

    public override async Task SignOutAsync()
    {
        var staff = Context.User.ToStaffPrincipal();
        await base.SignOutAsync();
        if (staff is not null)
        {
            await AppendAsync(new AuditEntry(AuditAction.Logout, staff.UserId, staff.DisplayName, "user", staff.UserId?.ToString()));
        }
    }

    private static string FailureDetail(SignInResult result, StaffUser? user) =>
        result.IsLockedOut ? "locked out"
        : result.IsNotAllowed ? user is { IsDisabled: true } ? "account disabled" : "not allowed"
        : user is null ? "unknown user name"
        : "wrong password";

    // A sign-in that happened is recorded even when the client has gone away meanwhile.
    private Task AppendAsync(AuditEntry entry) => audit.AppendAsync(entry, CancellationToken.None);
}
