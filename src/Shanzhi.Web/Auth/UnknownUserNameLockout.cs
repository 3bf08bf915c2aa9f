using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;

namespace Shanzhi.Web.Auth;

/// <summary>
/// Lockout for sign-in attempts with user names that match no account. Such a name is locked out
/// after Identity's <see cref="LockoutOptions.MaxFailedAccessAttempts"/> failures for
/// <see cref="LockoutOptions.DefaultLockoutTimeSpan"/>, as an account is, so the responses do not show
/// which staff user names exist. Each attempt that is not locked out verifies the password against
/// a fixed hash, so it costs one hash verification like an attempt on an account.
/// </summary>
/// <remarks>
/// Counts are kept in memory under an HMAC-SHA256 of the normalized name with a key made at
/// start-up, so the names themselves are not kept.
/// NOTE: at most <see cref="MaxTrackedNames"/> names are tracked. When the bound is reached, a
/// failure for a name not yet tracked is not counted, and the cache removes about 5% of the entries
/// in the background: least recently used counts first, names still locked out last. The first
/// untracked name of each fill logs a warning (event 6) without the name. During such a
/// flood, a sign-in with an unknown name may get "invalid credentials" where an account would be locked. Counts are per
/// process and are lost on restart, so with several web instances an unknown name locks on each
/// instance separately, while an account's count is shared through the database.
/// </remarks>
public sealed partial class UnknownUserNameLockout(IOptions<IdentityOptions> identity, TimeProvider time, ILogger<UnknownUserNameLockout> logger)
    : IDisposable
{
    /// <summary>Bound on tracked names; one entry takes a few hundred bytes (estimate), so the cache stays in the tens of megabytes.</summary>
    public const int MaxTrackedNames = 100_000;

    // Identity's PasswordHasher ignores the user; a custom hasher gets an account-less user with a fresh id.
    private static readonly StaffUser PlaceholderUser = new() { DisplayName = "", ScopePath = "", ScopeRegionCode = "" };

    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = MaxTrackedNames });
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private string? _placeholderHash;

    // 1 once the full cache has rejected a new name and the warning is logged, and 0 again when a new
    // name is tracked, so a flood logs one warning per fill.
    private int _fullLogged;

    /// <summary>
    /// Checks a password for a user name without an account, which always fails. Returns
    /// <see cref="SignInResult.LockedOut"/> while the name is locked out, and from the failure that
    /// reaches the maximum on, as Identity does for an account.
    /// </summary>
    public SignInResult CheckPassword(string normalizedUserName, string password, IPasswordHasher<StaffUser> hasher, bool lockoutOnFailure)
    {
        var now = time.GetUtcNow();
        var key = KeyFor(normalizedUserName);
        var record = _failures.Get<FailureRecord>(key);

        // Identity rejects a locked account before it verifies the password, so this does too.
        if (record is not null && record.IsLockedOut(now))
        {
            return SignInResult.LockedOut;
        }

        _ = hasher.VerifyHashedPassword(PlaceholderUser, PlaceholderHash(hasher), password);
        if (!lockoutOnFailure)
        {
            return SignInResult.Failed;
        }

        if (record is null)
        {
            record = _failures.GetOrCreate(key, entry =>
            {
                entry.Size = 1;
                return new FailureRecord();
            })!;
            NoteWhetherTracked(key);
        }

        var lockout = identity.Value.Lockout;
        if (!record.CountFailure(now, lockout.MaxFailedAccessAttempts, lockout.DefaultLockoutTimeSpan))
        {
            return SignInResult.Failed;
        }

        // Re-added with high priority, so compaction removes plain counts before lockouts.
        _failures.Set(key, record, new MemoryCacheEntryOptions { Size = 1, Priority = CacheItemPriority.High });
        return SignInResult.LockedOut;
    }

    public void Dispose() => _failures.Dispose();

    /// <summary>Logs a warning when a full cache did not store a new name, once until a new name is stored again.</summary>
    private void NoteWhetherTracked(string key)
    {
        if (_failures.TryGetValue(key, out _))
        {
            if (Volatile.Read(ref _fullLogged) == 1)
            {
                Volatile.Write(ref _fullLogged, 0);
            }

            return;
        }

        if (Interlocked.Exchange(ref _fullLogged, 1) == 0)
        {
            LogCacheFull(MaxTrackedNames);
        }
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Lockout of unknown user names tracks its maximum of {MaxTrackedNames} names; failures of further new names are not counted until the cache compacts")]
    private partial void LogCacheFull(int maxTrackedNames);

    private string KeyFor(string normalizedUserName) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(normalizedUserName)));

    // A hash of a random password that is never stored, made by the hasher that checks account
    // passwords, so that verifying against it takes as long.
    private string PlaceholderHash(IPasswordHasher<StaffUser> hasher) =>
        LazyInitializer.EnsureInitialized(ref _placeholderHash,
            () => hasher.HashPassword(PlaceholderUser, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    private sealed class FailureRecord
    {
        private readonly Lock _gate = new();
        private int _failedCount;
        private DateTimeOffset? _lockoutEnd;

        public bool IsLockedOut(DateTimeOffset now)
        {
            lock (_gate)
            {
                return _lockoutEnd > now;
            }
        }

        /// <summary>Counts a failure; returns true when it locks the name out, which restarts the count as Identity does.</summary>
        public bool CountFailure(DateTimeOffset now, int maxFailedAccessAttempts, TimeSpan lockoutTimeSpan)
        {
            lock (_gate)
            {
                if (++_failedCount < maxFailedAccessAttempts)
                {
                    return false;
                }

                _failedCount = 0;
                _lockoutEnd = now + lockoutTimeSpan;
                return true;
            }
        }
    }
}
