namespace Shanzhi.Epidemic.Passages;

/// <summary>One passage as a device or an import file states it, before validation.</summary>
public sealed record PassageInput(
    long? Sequence,
    DateTimeOffset? OccurredAt,
    string? Direction,
    long? PersonKey,
    string? Decision,
    string? Channel = null,
    string? Status = null);

/// <summary>What is wrong with one passage of a batch: its position (from 0), the field and why.</summary>
public sealed record PassageInputError(int Index, string Field, string Message);

/// <summary>
/// Validates a whole batch up front, so that a batch is either accepted as a whole or rejected
/// with every item's errors and nothing is half-stored. A sequence repeated inside the batch is
/// not an error; the writer counts it as a duplicate.
/// </summary>
public static class PassageBatch
{
    /// <summary>Devices' clocks drift; a passage further in the future than this is a clock fault.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public static (IReadOnlyList<PassageRecord> Records, IReadOnlyList<PassageInputError> Errors) Validate(
        DeviceContext device, IReadOnlyList<PassageInput?> items, DateTimeOffset now)
    {
        var records = new List<PassageRecord>(items.Count);
        var errors = new List<PassageInputError>();
        for (var i = 0; i < items.Count; i++)
        {
            if (Validate(device, items[i], now, i, errors) is { } record)
            {
                records.Add(record);
            }
        }

        return errors.Count == 0 ? (records, errors) : ([], errors);
    }

    private static PassageRecord? Validate(DeviceContext device, PassageInput? item, DateTimeOffset now, int index, List<PassageInputError> errors)
    {
        if (item is null)
        {
            errors.Add(new(index, "item", "记录为空。"));
            return null;
        }

        var before = errors.Count;
        if (item.Sequence is not >= 0)
        {
            errors.Add(new(index, "sequence", "缺少设备序号，或序号为负数。"));
        }

        if (item.OccurredAt is not { } occurredAt)
        {
            errors.Add(new(index, "occurredAt", "缺少通行时间。"));
        }
        else if (occurredAt > now + ClockTolerance)
        {
            errors.Add(new(index, "occurredAt", "通行时间晚于服务器当前时间 5 分钟以上，请检查设备时钟。"));
        }

        if (item.PersonKey is <= 0)
        {
            errors.Add(new(index, "personKey", "人员标识必须为正整数；未识别人员请省略该字段。"));
        }

        var direction = Parse<PassageDirection>(item.Direction, index, "direction", required: true, "In（进）或 Out（出）", errors);
        var decision = Parse<GateDecision>(item.Decision, index, "decision", required: true, "Pass、ManualCheck 或 Deny", errors);
        var channel = Parse<HubChannel>(item.Channel, index, "channel", required: false, "None、VisitorArrival 或 ResidentReturn", errors);
        var status = Parse<HealthStatus>(item.Status, index, "status", required: false, "Green、Yellow 或 Red", errors);
        if (errors.Count > before)
        {
            return null;
        }

        return new PassageRecord(device.DeviceId, item.Sequence!.Value, device.EntranceId, device.PlaceId, item.PersonKey,
            item.OccurredAt!.Value.ToUniversalTime(), direction!.Value, decision!.Value, channel ?? HubChannel.None, status);
    }

    /// <summary>Enum names only, any case; numbers are rejected because they hide mistakes.</summary>
    private static T? Parse<T>(string? text, int index, string field, bool required, string allowed, List<PassageInputError> errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new(index, field, $"缺少 {field}，应为 {allowed}。"));
            }

            return null;
        }

        if (char.IsLetter(text.Trim()[0]) && Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        errors.Add(new(index, field, $"{field} 的值“{text}”无效，应为 {allowed}。"));
        return null;
    }
}
