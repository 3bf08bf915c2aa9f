using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Passages;

/// <summary>One passage as a device or an import file states it, before validation.</summary>
public sealed record PassageInput(
    long? Sequence,
    [property: JsonConverter(typeof(PassageTimeConverter))] DateTimeOffset? OccurredAt,
    string? Direction,
    long? PersonKey,
    string? Decision,
    string? Channel = null,
    string? Status = null);

/// <summary>
/// Reads a passage's time with the gate check's rule (<see cref="PlatformDates.TryParseInstant"/>)
/// in place of the host's date rule, which rejects any time outside the platform's years as
/// malformed. A well-formed time of any year reaches validation, which rejects it as too old or in the future.
/// </summary>
public sealed class PassageTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && PlatformDates.TryParseInstant(reader.GetString()!, out var instant)
            ? instant
            : throw new JsonException("A passage time must be an ISO 8601 time with its UTC offset, such as 2026-03-02T09:00:00+08:00.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// Input format of a passage, which selects how error messages describe an unidentified person:
/// a JSON item omits <c>personKey</c>, and a CSV row leaves the <c>person_key</c> cell empty.
/// </summary>
public enum PassageFormat
{
    Json,
    Csv,
}

/// <summary>What is wrong with one passage of a batch: its position (from 0), the field, a stable code and why.</summary>
public sealed record PassageInputError(int Index, string Field, string Message, string Code = PassageBatch.InvalidFieldCode);

/// <summary>
/// Reads and validates a batch. Structural faults reject the whole batch, because they mean the
/// sender is broken: a body that is not a JSON array, image data, or an item with a property
/// that is not a passage field. Every other fault belongs to its item alone: a malformed item
/// (not an object, a field given twice, a value of the wrong type, a missing or invalid field) or a well-formed item
/// naming a person key the registry does not know (<see cref="SplitUnknownPersonsAsync"/>) is
/// rejected with its index, field and code, and the rest of the batch is stored. A sequence
/// sent again with the same passage is not an error; the writer counts it as a duplicate. A sequence
/// sent again with another passage is rejected after the write (<see cref="FindReusedAsync"/>).
/// </summary>
public static class PassageBatch
{
    /// <summary>
    /// Logs one line for a batch that had items rejected: the device, how many items, and the codes
    /// with how often each occurred (an item can have several). Codes only, so no value from the
    /// batch reaches the log.
    /// </summary>
    public static void LogRejected(ILogger logger, long deviceId, int items, IReadOnlyList<PassageInputError> rejected)
    {
        if (rejected.Count == 0)
        {
            return;
        }

        var codes = string.Join(", ", rejected.GroupBy(e => e.Code).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} ×{g.Count()}"));
        logger.ItemsRejected(deviceId, rejected.Select(e => e.Index).Distinct().Count(), items, codes);
    }

    public const string InvalidFieldCode = "passage.invalid_field";
    public const string MissingFieldCode = "passage.missing_field";
    public const string InvalidItemCode = "passage.invalid_item";
    public const string UnknownFieldCode = "passage.unknown_field";
    public const string DuplicateFieldCode = "passage.duplicate_field";
    public const string UnknownPersonCode = "passage.unknown_person";
    public const string OccurredAtTooOldCode = "passage.occurred_at_too_old";

    private static readonly string[] Fields = ["sequence", "occurredAt", "direction", "personKey", "decision", "channel", "status"];

    /// <summary>A body that is not JSON at all (truncated, a syntax error, empty) or JSON other than an array.</summary>
    public static readonly Error MalformedBody = Error.Invalid("passage.malformed_body", "body",
        "请求内容应为通行记录的 JSON 数组（UTF-8 编码），但无法按此解析（JSON 语法错误、内容不完整、不是数组或不是 UTF-8），整批未接收。请检查格式后重新发送整批。");

    /// <summary>Uses the gate check's image rule (<see cref="GateCheckParser.ContainsImage"/>), so both APIs reject the same input.</summary>
    public static readonly Error ImageRejected = Error.Invalid("passage.image_rejected", "body",
        "通行记录接口不接收人脸、照片或任何图像数据，整批未接收。请只上传识别结果（人员标识或未识别），图像应留在设备本地比对后立即删除。");

    /// <summary>
    /// Reads a JSON body strictly: an array of passage objects with no property other than the
    /// known fields (any case), and no image anywhere. <paramref name="options"/> are the host's
    /// JSON options, so its string rules (no control characters) apply to every field. Returns
    /// the items (null where an item could not be read), the unknown properties, which reject the
    /// whole batch, and the errors of the items that could not be read, which reject those items only.
    /// </summary>
    public static Result<(IReadOnlyList<PassageInput?> Items, IReadOnlyList<PassageInputError> UnknownFields, IReadOnlyList<PassageInputError> Unreadable)> Read(
        JsonElement body, JsonSerializerOptions options)
    {
        if (body.ValueKind != JsonValueKind.Array)
        {
            return MalformedBody;
        }

        if (GateCheckParser.ContainsImage(body))
        {
            return ImageRejected;
        }

        var items = new List<PassageInput?>(body.GetArrayLength());
        var unknownFields = new List<PassageInputError>();
        var unreadable = new List<PassageInputError>();
        foreach (var element in body.EnumerateArray())
        {
            var index = items.Count;
            if (element.ValueKind != JsonValueKind.Object)
            {
                items.Add(null);
                unreadable.Add(new(index, "item", "记录应为 JSON 对象，本条未接收。", InvalidItemCode));
                continue;
            }

            foreach (var property in element.EnumerateObject().Where(p => !Fields.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
            {
                var name = property.Name.Length > 40 ? property.Name[..40] : property.Name;
                unknownFields.Add(new(index, name, $"未定义的字段“{name}”。只允许 {string.Join('、', Fields)}。", UnknownFieldCode));
            }

            // Checked before deserializing, which would reject the repeat as a value of the wrong type.
            if (RepeatedField(element) is { } repeated)
            {
                items.Add(null);
                unreadable.Add(new(index, repeated, $"字段“{repeated}”在本条记录中出现了不止一次（字段名不区分大小写），本条未接收。请只保留一个。",
                    DuplicateFieldCode));
                continue;
            }

            try
            {
                items.Add(element.Deserialize<PassageInput?>(options));
            }
            catch (JsonException ex)
            {
                items.Add(null);
                unreadable.Add(new(index, FieldOf(ex.Path), "字段类型不正确，或文字中含控制字符，本条未接收。sequence、personKey 应为整数，occurredAt 应为带时区的 ISO 8601 时间，其余字段应为文字。",
                    InvalidFieldCode));
            }
        }

        return (items, unknownFields, unreadable);
    }

    /// <summary>
    /// The passage field name of the first property an item gives more than once, or null when each
    /// appears once. Names are compared in any letter case, as the serializer compares them.
    /// </summary>
    private static string? RepeatedField(JsonElement item)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in item.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return Fields.FirstOrDefault(f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase))
                       ?? (property.Name.Length > 40 ? property.Name[..40] : property.Name);
            }
        }

        return null;
    }

    /// <summary>The passage field a JSON path such as <c>$.sequence</c> names, or <c>item</c> when it names none.</summary>
    private static string FieldOf(string? path)
    {
        var name = path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..].Split('.', '[')[0] : "";
        return Fields.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase)) ?? "item";
    }

    /// <summary>
    /// The error of a passage older than the movement retention of <paramref name="retentionDays"/>
    /// days, or, without a retention (null), dated before <see cref="PlatformDates.First"/>.
    /// </summary>
    public static PassageInputError OccurredAtTooOld(int index, int? retentionDays) => new(index, "occurredAt",
        retentionDays is { } days
            ? string.Create(CultureInfo.InvariantCulture,
                $"通行时间早于 {days} 天前。通行记录只保存 {days} 天，平台不接收更早的记录，本条未接收。请检查设备时钟或导入文件中的时间。")
            : string.Create(CultureInfo.InvariantCulture,
                $"通行时间早于 {PlatformDates.First:yyyy-MM-dd}，平台不接收更早的记录，本条未接收。请检查设备时钟或导入文件中的时间。"),
        OccurredAtTooOldCode);

    public const string SequenceReusedCode = "passage.sequence_reused";

    /// <summary>The error of a passage whose device sequence is already stored with another passage.</summary>
    public static PassageInputError SequenceReused(int index, long sequence) => new(index, "sequence",
        string.Create(CultureInfo.InvariantCulture,
            $"设备已用流水号 {sequence} 上报过另一条通行记录（人员、时间或方向不同），本条未接收。每台设备的流水号必须持续递增，请用新的流水号重新上报。"),
        SequenceReusedCode);

    /// <summary>
    /// Finds the positions in <paramref name="records"/> (already written) whose stored passage under
    /// the same device and sequence has another person, time or direction. The writer counted those
    /// as duplicates of the stored passage, so they were not stored. One query per device.
    /// </summary>
    public static async Task<IReadOnlyList<int>> FindReusedAsync(ShanzhiDbContext db, IReadOnlyList<PassageRecord> records,
        CancellationToken cancellationToken)
    {
        var reused = new List<int>();
        foreach (var device in Enumerable.Range(0, records.Count).GroupBy(i => records[i].DeviceId))
        {
            var deviceId = device.Key;
            var sequences = device.Select(i => records[i].DeviceSequence).Distinct().ToList();
            var stored = await db.Passages.AsNoTracking()
                .Where(p => p.DeviceId == deviceId && sequences.Contains(p.DeviceSequence))
                .Select(p => new { p.DeviceSequence, p.PersonKey, p.OccurredAt, p.Direction })
                .ToDictionaryAsync(p => p.DeviceSequence, cancellationToken);
            foreach (var i in device)
            {
                var record = records[i];
                if (stored.TryGetValue(record.DeviceSequence, out var passage)
                    && (passage.PersonKey != record.PersonKey || passage.Direction != record.Direction || !IsSameInstant(passage.OccurredAt, record.OccurredAt)))
                {
                    reused.Add(i);
                }
            }
        }

        reused.Sort();
        return reused;
    }

    /// <summary>
    /// Returns the items of <paramref name="items"/> (positions, lines) that belong to the known records, that is,
    /// without the <paramref name="unknown"/> positions that <see cref="SplitUnknownPersonsAsync"/> left out.
    /// </summary>
    public static List<T> OfKnown<T>(IReadOnlyList<T> items, IReadOnlyList<int> unknown)
    {
        var left = unknown.ToHashSet();
        return [.. items.Where((_, position) => !left.Contains(position))];
    }

    /// <summary>Equal to the microsecond, because PostgreSQL stores times in microseconds and drops the last digit of a 100 ns tick.</summary>
    public static bool IsSameInstant(DateTimeOffset stored, DateTimeOffset sent) => Math.Abs((stored - sent).Ticks) < TimeSpan.TicksPerMicrosecond;

    /// <summary>The error of a passage whose person key is not in the population registry.</summary>
    public static PassageInputError UnknownPerson(int index, long personKey, PassageFormat format = PassageFormat.Json) => new(index, "personKey",
        $"人员标识 {personKey} 不在人口登记库中，本条未接收。请核对人员标识；{UnidentifiedPersonHint(format)}", UnknownPersonCode);

    /// <summary>How the sender marks a passage of an unidentified person in <paramref name="format"/>.</summary>
    private static string UnidentifiedPersonHint(PassageFormat format) => format switch
    {
        PassageFormat.Csv => "未识别人员请将 person_key 列留空。",
        _ => "未识别人员请省略 personKey 字段。",
    };

    /// <summary>
    /// Splits validated records into those that can be stored (unidentified, or naming a registered
    /// person) and the positions of those naming a person key the registry does not know. One
    /// query for the batch's distinct keys.
    /// </summary>
    public static async Task<(IReadOnlyList<PassageRecord> Known, IReadOnlyList<int> UnknownIndexes)> SplitUnknownPersonsAsync(
        ShanzhiDbContext db, IReadOnlyList<PassageRecord> records, CancellationToken cancellationToken)
    {
        var keys = records.Where(r => r.PersonKey is not null).Select(r => r.PersonKey!.Value).Distinct().ToList();
        if (keys.Count == 0)
        {
            return (records, []);
        }

        var registered = (await db.Persons.AsNoTracking().Where(p => keys.Contains(p.Key)).Select(p => p.Key).ToListAsync(cancellationToken)).ToHashSet();
        if (registered.Count == keys.Count)
        {
            return (records, []);
        }

        var known = new List<PassageRecord>(records.Count);
        var unknown = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].PersonKey is { } key && !registered.Contains(key))
            {
                unknown.Add(i);
            }
            else
            {
                known.Add(records[i]);
            }
        }

        return (known, unknown);
    }

    /// <summary>
    /// Validates each item on its own. Returns the valid items' records with their positions in
    /// <paramref name="items"/>, and the errors of the others. Positions in <paramref name="unreadable"/>
    /// were rejected by <see cref="Read"/> already and are skipped. An item whose time is outside
    /// <paramref name="window"/> is rejected, because it is either a clock fault or a passage the
    /// retention job would delete at its next run. <paramref name="format"/> sets the wording of
    /// hints that depend on the input.
    /// </summary>
    public static (IReadOnlyList<PassageRecord> Records, IReadOnlyList<int> Indexes, IReadOnlyList<PassageInputError> Errors) Validate(
        DeviceContext device, IReadOnlyList<PassageInput?> items, PassageTimeWindow window, IReadOnlySet<int>? unreadable = null,
        PassageFormat format = PassageFormat.Json)
    {
        var records = new List<PassageRecord>(items.Count);
        var indexes = new List<int>(items.Count);
        var errors = new List<PassageInputError>();
        for (var i = 0; i < items.Count; i++)
        {
            if (unreadable?.Contains(i) == true)
            {
                continue;
            }

            if (Validate(device, items[i], window, i, format, errors) is { } record)
            {
                records.Add(record);
                indexes.Add(i);
            }
        }

        return (records, indexes, errors);
    }

    private static PassageRecord? Validate(DeviceContext device, PassageInput? item, PassageTimeWindow window, int index, PassageFormat format,
        List<PassageInputError> errors)
    {
        if (item is null)
        {
            errors.Add(new(index, "item", "记录为空。", InvalidItemCode));
            return null;
        }

        var before = errors.Count;
        if (item.Sequence is null)
        {
            errors.Add(new(index, "sequence", "缺少设备序号 sequence。", MissingFieldCode));
        }
        else if (item.Sequence < 0)
        {
            errors.Add(new(index, "sequence", "设备序号 sequence 不能为负数。"));
        }

        if (item.OccurredAt is not { } occurredAt)
        {
            errors.Add(new(index, "occurredAt", "缺少通行时间。", MissingFieldCode));
        }
        else if (window.IsInFuture(occurredAt))
        {
            errors.Add(new(index, "occurredAt", "通行时间晚于服务器当前时间 5 分钟以上，请检查设备时钟。"));
        }
        else if (window.IsTooOld(occurredAt))
        {
            errors.Add(OccurredAtTooOld(index, window.RetentionDays));
        }

        if (item.PersonKey is <= 0)
        {
            errors.Add(new(index, "personKey", $"人员标识必须为正整数；{UnidentifiedPersonHint(format)}"));
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
                errors.Add(new(index, field, $"缺少 {field}，应为 {allowed}。", MissingFieldCode));
            }

            return null;
        }

        // One name only: Enum.TryParse also reads numbers and comma lists such as "Pass,ManualCheck".
        var name = text.Trim();
        if (Enum.TryParse<T>(name, ignoreCase: true, out var value) && Enum.IsDefined(value)
            && string.Equals(Enum.GetName(value), name, StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        // The value is not repeated: a device may put personal data in the wrong field.
        errors.Add(new(index, field, $"{field} 的值无效，应为 {allowed}。"));
        return null;
    }
}
