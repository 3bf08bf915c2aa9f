using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

/// <summary>Gate-check response shown by the device: decision, hub channel and reason, with Chinese names.</summary>
/// <param name="Replayed">True when this (device, sequence) was checked before and the first result is repeated.</param>
public sealed record GateAnswer(GateDecision Decision, string DecisionName, HubChannel Channel, string ChannelName, string ReasonCode, string Reason, bool Replayed);

/// <summary>
/// Decides one gate check and records its passage. The ID number is used only to find the person
/// key through the blind index; the passage stores the key, never the number. A resend of a
/// (device, sequence) seen before gets the first result again, rebuilt from the stored passage, and
/// opens no second follow-up case. Another check under a used (device, sequence) is rejected with
/// <see cref="GateErrors.SequenceReused"/>. A "no match" claims its follow-up row before the passage is stored. A resend
/// that finds the claim but no passage stores the passage itself, and only the copy whose passage
/// insert succeeds opens the unidentified-person case, so the case is opened once.
/// Before any of that, <see cref="Validate"/> applies the input rules that hold for every caller,
/// not only for bodies read by <see cref="GateCheckParser"/>.
/// </summary>
/// <remarks>
/// The common check reads only memory: the person directory (status and, at a hub entry, residency)
/// and, at a site entry, the <see cref="SiteRosterDirectory"/>. Then it submits the passage.
/// The store context and the follow-up service are taken from <paramref name="services"/> when a
/// check first needs them (directories not loaded yet, resend, no match), because building a
/// context per request was the largest cost of a check.
/// </remarks>
public sealed class CheckGate(
    IServiceProvider services,
    IPersonDirectory persons,
    IPassageIngest passages,
    ResidencyCache residencies,
    TimeProvider clock,
    IOptions<RetentionOptions> retention,
    ILogger<CheckGate> logger,
    SiteRosterDirectory? rosters = null)
{
    private ShanzhiDbContext? _db;

    public async Task<Result<GateAnswer>> CheckAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
    {
        if (Validate(input, PassageTimeWindow.At(clock.GetUtcNow(), retention.Value)) is { } invalid)
        {
            return invalid;
        }

        try
        {
            return await DecideAndRecordAsync(device, input, cancellationToken);
        }
        finally
        {
            if (_db is { } db)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// Returns the first rule <paramref name="input"/> breaks, or null: a negative sequence, an
    /// identity without the field its kind needs, or a time outside <paramref name="window"/>
    /// (a clock fault, or a passage the retention job would delete at its next run).
    /// </summary>
    public static Error? Validate(GateCheckInput input, PassageTimeWindow window)
    {
        if (input.Sequence < 0)
        {
            return GateErrors.SequenceInvalid;
        }

        var identityError = input.Kind switch
        {
            IdentityKind.IdNumber when input.IdNumber is null || !ChineseIdNumber.IsValid(input.IdNumber) => GateErrors.InvalidIdNumber,
            IdentityKind.PersonKey when input.PersonKey is null => GateErrors.PersonKeyRequired,
            IdentityKind.PersonKey when input.PersonKey <= 0 => GateErrors.PersonKeyInvalid,
            IdentityKind.IdNumber or IdentityKind.PersonKey or IdentityKind.NoMatch => null,
            _ => GateErrors.IdentityKindInvalid,
        };
        if (identityError is not null)
        {
            return identityError;
        }

        if (window.IsInFuture(input.OccurredAt))
        {
            return GateErrors.OccurredAtInFuture;
        }

        return window.IsTooOld(input.OccurredAt) ? GateErrors.OccurredAtTooOld(window.RetentionDays) : null;
    }

    /// <summary>The store, with one connection kept open for the rest of the check, because each open runs the store's PRAGMA set-up again.</summary>
    private async Task<ShanzhiDbContext> StoreAsync(CancellationToken cancellationToken)
    {
        if (_db is null)
        {
            var db = services.GetRequiredService<ShanzhiDbContext>();
            await db.Database.OpenConnectionAsync(cancellationToken);
            _db = db;
        }

        return _db;
    }

    private OpenUnidentifiedCase FollowUps => services.GetRequiredService<OpenUnidentifiedCase>();

    private async Task<Result<GateAnswer>> DecideAndRecordAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
    {
        long? personKey = null;
        HealthStatus? status = null;
        var identity = GateIdentity.NoMatch;
        if (input.Kind != IdentityKind.NoMatch)
        {
            personKey = input.Kind == IdentityKind.IdNumber ? await persons.FindByIdNumberAsync(input.IdNumber!, cancellationToken) : input.PersonKey;
            var registered = personKey is { } key ? await persons.StatusAsync(key, cancellationToken) : null;
            status = registered?.Status;
            identity = registered is null ? GateIdentity.Unregistered : GateIdentity.Registered;
            if (identity == GateIdentity.Unregistered)
            {
                personKey = null;
            }
        }

        bool? onRoster = null;
        if (personKey is { } worker && status == HealthStatus.Green && GateRules.NeedsRoster(device.PlaceKind, input.Direction))
        {
            var day = DateOnly.FromDateTime(ShanghaiTime.ToLocal(input.OccurredAt).DateTime);
            onRoster = rosters?.IsOnRoster(device.PlaceId, worker, day) ?? await IsOnStoredRosterAsync(device.PlaceId, worker, day, cancellationToken);
        }

        ResidencyClass? residency = null;
        if (personKey is { } traveller && EpidemicNames.IsHub(device.PlaceKind) && input.Direction == PassageDirection.In)
        {
            residency = persons.KnownResidency(traveller) ?? residencies.Find(traveller);
            if (residency is null)
            {
                var db = await StoreAsync(cancellationToken);
                residency = await db.Persons.Where(p => p.Key == traveller).Select(p => (ResidencyClass?)p.Residency).FirstOrDefaultAsync(cancellationToken);
                if (residency is { } found)
                {
                    residencies.Remember(traveller, found);
                }
            }
        }

        var verdict = GateRules.Decide(identity, status, onRoster);
        var channel = ChannelRouting.Route(device.PlaceKind, input.Direction, residency);

        // A resend that finds a claim without a stored passage takes over the claim instead of
        // replaying. It did not create the claim, so it never releases it.
        var claimed = false;
        var retaken = false;
        if (identity == GateIdentity.NoMatch)
        {
            // A passage stored before the claim is a resend or a reused sequence. Because of this
            // check, a passage the replay below finds after this check's claim was stored by a copy of
            // this check that took the claim over.
            if (await IsPassageStoredAsync(device, input, cancellationToken))
            {
                return await ReplayAsync(device, input, personKey, identity, verdict, channel, claimed: false, cancellationToken);
            }

            // The follow-up service shares the scope's context, so its reads and writes use the connection opened above.
            claimed = await FollowUps.ClaimAsync(device, input, cancellationToken);
            if (!claimed)
            {
                retaken = await RetakeUnstoredClaimAsync(device, input, cancellationToken);
                if (!retaken)
                {
                    return await ReplayAsync(device, input, personKey, identity, verdict, channel, claimed: false, cancellationToken);
                }
            }
        }

        var record = new PassageRecord(device.DeviceId, input.Sequence, device.EntranceId, device.PlaceId, personKey, input.OccurredAt, input.Direction,
            verdict.Decision, channel, status);
        var receipt = await passages.SubmitAsync([record], cancellationToken);
        if (receipt.Error is { } error)
        {
            if (claimed)
            {
                await FollowUps.ReleaseAsync(device, input, cancellationToken);
            }

            return error;
        }

        // Only the copy whose passage insert succeeded opens the case, so two copies of a retaken
        // check cannot both open one. The retake made the claim young, so the repair leaves it alone.
        if (receipt.Value!.Duplicates > 0)
        {
            return await ReplayAsync(device, input, personKey, identity, verdict, channel, claimed, cancellationToken);
        }

        if (identity == GateIdentity.NoMatch)
        {
            await FollowUps.OpenAsync(device, input, cancellationToken);
        }

        return Answer(verdict, channel, replayed: retaken);
    }

    /// <summary>
    /// Takes over the claim of a "no match" check when its passage is not stored: a copy of the
    /// check is still in flight, or the process that claimed it stopped before storing the passage.
    /// A claim the repair released meanwhile is claimed again. False when the passage is stored
    /// (replay it) or another copy claimed the check again first.
    /// </summary>
    private async Task<bool> RetakeUnstoredClaimAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
    {
        if (await IsPassageStoredAsync(device, input, cancellationToken))
        {
            return false;
        }

        logger.ClaimRetaken(device.DeviceId, input.Sequence);
        return await FollowUps.RetakeAsync(device, input, cancellationToken) || await FollowUps.ClaimAsync(device, input, cancellationToken);
    }

    private async Task<bool> IsPassageStoredAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
    {
        var db = await StoreAsync(cancellationToken);
        return await db.Passages.AnyAsync(p => p.DeviceId == device.DeviceId && p.DeviceSequence == input.Sequence, cancellationToken);
    }

    private async Task<bool> IsOnStoredRosterAsync(long siteId, long worker, DateOnly day, CancellationToken cancellationToken)
    {
        var db = await StoreAsync(cancellationToken);
        return await db.RosterEntries.AnyAsync(r => r.SiteId == siteId && r.PersonKey == worker && r.ValidFrom <= day && r.ValidTo >= day,
                cancellationToken);
    }

    /// <summary>
    /// Rebuilds the answer of a resend from the stored passage. A check that differs from the stored one in person,
    /// "no match", time or direction is not a resend but a reused sequence number, and gets
    /// <see cref="GateErrors.SequenceReused"/>: the stored answer belongs to another person.
    /// </summary>
    /// <param name="claimed">
    /// This check claimed the follow-up after finding no passage, and then found its passage stored:
    /// by a copy of this check that took the claim over while this one waited to store its passage.
    /// The claim is that passage's follow-up. It is released on a reused sequence.
    /// </param>
    private async Task<Result<GateAnswer>> ReplayAsync(DeviceContext device, GateCheckInput input, long? personKey, GateIdentity identity,
        GateVerdict fresh, HubChannel freshChannel, bool claimed, CancellationToken cancellationToken)
    {
        var db = await StoreAsync(cancellationToken);
        var stored = await db.Passages.AsNoTracking()
            .Where(p => p.DeviceId == device.DeviceId && p.DeviceSequence == input.Sequence)
            .Select(p => new { p.PersonKey, p.StatusAtPassage, p.Decision, p.Channel, p.OccurredAt, p.Direction })
            .FirstOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            // Claimed again by a concurrent copy of this check whose passage is not committed yet.
            // NOTE: that copy's time and direction are not stored yet, so they cannot be compared.
            logger.CheckReplayed(device.DeviceId, input.Sequence);
            return Answer(fresh, freshChannel, replayed: true);
        }

        var followedUp = stored.PersonKey is null
            && (claimed || await db.UnidentifiedFollowUps.AnyAsync(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence, cancellationToken));

        // NOTE: two unregistered persons both store no person key, so a reused sequence between them passes as a resend.
        // So does an unregistered person's check stored in the moment between a "no match" finding no passage and claiming.
        var sameCheck = stored.PersonKey == personKey && followedUp == (identity == GateIdentity.NoMatch) && stored.Direction == input.Direction
            && PassageBatch.IsSameInstant(stored.OccurredAt, input.OccurredAt);
        if (!sameCheck)
        {
            if (claimed)
            {
                await FollowUps.ReleaseAsync(device, input, cancellationToken);
            }

            logger.SequenceReused(device.DeviceId, input.Sequence);
            return GateErrors.SequenceReused;
        }

        logger.CheckReplayed(device.DeviceId, input.Sequence);
        return Answer(GateRules.Replay(stored.PersonKey, stored.StatusAtPassage, stored.Decision, followedUp), stored.Channel, replayed: true);
    }

    private static GateAnswer Answer(GateVerdict verdict, HubChannel channel, bool replayed) =>
        new(verdict.Decision, EpidemicNames.Chinese(verdict.Decision), channel, EpidemicNames.Chinese(channel), verdict.ReasonCode, verdict.Reason, replayed);
}
