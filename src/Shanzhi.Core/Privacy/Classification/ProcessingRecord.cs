using System.Globalization;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Classification;

/// <summary>
/// One personal-data field in the record of processing activities; <paramref name="RetentionDays"/> 0 means no limit is set yet.
/// <paramref name="RetentionRule"/> is the field's own Chinese wording of its retention, with <c>{0}</c> for the days, used instead of
/// the default when not empty.
/// </summary>
public sealed record ProcessedField(
    string Property, string Column, DataClass Class, string ClassName, string Purpose, string Recipients, int RetentionDays, string RetentionRule = "")
{
    public string Retention => RetentionRule switch
    {
        _ when RetentionDays == 0 => "未设定期限，随所属记录保存",
        { Length: > 0 } rule => string.Format(CultureInfo.InvariantCulture, rule, RetentionDays),
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
    /// <summary>Builds the record as the platform states it: the store's model with the registered retention targets and the configured policies.</summary>
    public static ProcessingRecord For(IServiceProvider services) => Build(
        services.GetRequiredService<ShanzhiDbContext>().Model,
        services.GetServices<IRetentionTarget>(),
        services.GetRequiredService<IOptions<RetentionOptions>>().Value);

    /// <summary>
    /// Builds the record from the model's declarations. With <paramref name="targets"/> and
    /// <paramref name="retention"/>, a table that the retention job purges states the days of its
    /// configured policy, or no limit when none is configured, in place of the days declared in code.
    /// </summary>
    public static ProcessingRecord Build(IModel model, IEnumerable<IRetentionTarget>? targets = null, RetentionOptions? retention = null)
    {
        var configuredDays = new Dictionary<string, int>(StringComparer.Ordinal);
        if (targets is not null && retention is not null)
        {
            foreach (var target in targets)
            {
                configuredDays[target.Table] = retention.Policies.GetValueOrDefault(target.DataClass);
            }
        }

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
                configuredDays.TryGetValue(p.Table, out var days) ? days : p.Classification.RetentionDays,
                p.Classification.RetentionRule))]))
            .ToList();
        return new ProcessingRecord(activities, classification.Problems);
    }
}
