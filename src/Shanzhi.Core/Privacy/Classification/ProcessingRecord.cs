using Microsoft.EntityFrameworkCore.Metadata;

namespace Shanzhi.Privacy.Classification;

/// <summary>
/// One personal-data field in the record of processing activities; <paramref name="RetentionDays"/> 0 means no limit is set yet.
/// <paramref name="RetentionRule"/> is the field's own Chinese wording of its retention, used instead of the default when not empty.
/// </summary>
public sealed record ProcessedField(
    string Property, string Column, DataClass Class, string ClassName, string Purpose, string Recipients, int RetentionDays, string RetentionRule = "")
{
    public string Retention => RetentionRule switch
    {
        { Length: > 0 } rule => rule,
        _ when RetentionDays == 0 => "未设定期限，随所属记录保存",
        _ => $"所属记录办结后保存 {RetentionDays} 天",
    };
}

/// <summary>One table holding personal data, with the activity it serves.</summary>
public sealed record ProcessingActivity(string Activity, string Entity, string Table, IReadOnlyList<ProcessedField> Fields);

/// <summary>
/// The record of processing activities (个人信息处理活动记录), generated from the
/// <see cref="ClassifyAttribute"/> declarations so it cannot drift from the schema. Lists only
/// personal and sensitive fields.
/// </summary>
public sealed record ProcessingRecord(IReadOnlyList<ProcessingActivity> Activities, IReadOnlyList<string> Unclassified)
{
    public static ProcessingRecord Build(IModel model)
    {
        var classification = PersonalDataModel.Classify(model);
        var activities = classification.Properties
            .Where(p => DataClasses.IsPersonal(p.Classification.Class))
            .GroupBy(p => (p.Entity, p.Table, p.Activity))
            .Select(g => new ProcessingActivity(g.Key.Activity, g.Key.Entity, g.Key.Table, [.. g.Select(p => new ProcessedField(
                p.Property,
                p.Column,
                p.Classification.Class,
                DataClasses.ChineseName(p.Classification.Class),
                p.Classification.Purpose,
                p.Classification.Recipients,
                p.Classification.RetentionDays,
                p.Classification.RetentionRule))]))
            .ToList();
        return new ProcessingRecord(activities, classification.Problems);
    }
}
