using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Classification;
using Shanzhi.Storage;

namespace Shanzhi.Tests.Privacy;

/// <summary>Every stored property of the platform's model has a data class.</summary>
public sealed class ClassificationTests
{
    [Fact]
    public void Every_model_property_has_a_class()
    {
        using var db = SqliteModel();

        var classification = PersonalDataModel.Classify(db.Model);

        Assert.Empty(classification.Problems);
    }

    [Theory]
    [InlineData("Case", "Address", DataClass.Personal)]
    [InlineData("Case", "Latitude", DataClass.Personal)]
    [InlineData("Case", "State", DataClass.Internal)]
    [InlineData("StaffUser", "DisplayName", DataClass.Personal)]
    [InlineData("StaffUser", "PhoneNumber", DataClass.Personal)]
    [InlineData("StaffUser", "PasswordHash", DataClass.Sensitive)]
    [InlineData("Region", "Name", DataClass.Public)]
    public void Property_resolves_to_its_declared_class(string entity, string property, DataClass expected)
    {
        using var db = SqliteModel();

        var found = PersonalDataModel.Classify(db.Model).Properties.Single(p => p.Entity == entity && p.Property == property);

        Assert.Equal(expected, found.Classification.Class);
    }

    [Fact]
    public void Unclassified_entity_is_reported_by_property()
    {
        using var db = new UnclassifiedContext();

        var problems = PersonalDataModel.Classify(db.Model).Problems;

        Assert.Contains("Complaint.Id has no data class: add [Classify] to the property or a default to the type.", problems);
    }

    [Fact]
    public void Personal_name_under_type_default_is_reported()
    {
        using var db = new UnclassifiedContext();

        var problems = PersonalDataModel.Classify(db.Model).Problems;

        Assert.Contains("Visit.VisitorPhone looks like personal data but only the type default covers it: classify the property itself.", problems);
    }

    [Fact]
    public void Processing_record_lists_personal_fields()
    {
        using var db = SqliteModel();

        var record = ProcessingRecord.Build(db.Model);

        var staff = record.Activities.Single(a => a.Entity == "StaffUser");
        var password = staff.Fields.Single(f => f.Property == "PasswordHash");
        Assert.Equal("员工账号与登录", staff.Activity);
        Assert.Equal("敏感个人信息", password.ClassName);
        Assert.Equal("登录校验（仅存口令散列）", password.Purpose);
        Assert.DoesNotContain(staff.Fields, f => f.Property == "LockoutEnabled");
        Assert.DoesNotContain(record.Activities, a => a.Entity == "Region");
        Assert.Contains(record.Activities, a => a.Entity == "IdentityUserToken<Guid>" && a.Fields.Single().Property == "Value");
    }

    [Fact]
    public void Health_history_states_its_own_retention()
    {
        using var db = SqliteModel();

        var record = ProcessingRecord.Build(db.Model);

        var history = record.Activities.Single(a => a.Entity == "HealthStatusChange");
        Assert.NotEmpty(history.Fields);
        Assert.All(history.Fields, f => Assert.Equal(string.Format(CultureInfo.InvariantCulture, RetentionOptions.HealthStatusHistoryRule, 180), f.Retention));
        Assert.All(history.Fields, f => Assert.Contains($"{RetentionOptions.HealthStatusHistoryDays} 天", f.Retention, StringComparison.Ordinal));
        Assert.All(history.Fields, f => Assert.DoesNotContain("办结", f.Retention, StringComparison.Ordinal));
    }

    [Fact]
    public void Passages_and_follow_ups_state_retention()
    {
        using var db = SqliteModel();

        var record = ProcessingRecord.Build(db.Model);

        var passages = record.Activities.Single(a => a.Entity == "Passage");
        var followUps = record.Activities.Single(a => a.Entity == "UnidentifiedFollowUp");
        Assert.All(passages.Fields, f => Assert.Equal("自发生之日起保存 28 天，到期删除。", f.Retention));
        Assert.All(followUps.Fields, f => Assert.Equal("核查办结后保存 28 天，到期删除；未办结的核查一直保存。", f.Retention));
    }

    [Fact]
    public void Configured_policy_sets_stated_days()
    {
        using var db = SqliteModel();
        var retention = new RetentionOptions();
        retention.Policies[Shanzhi.Privacy.RetentionClasses.Movement] = 14;
        retention.Policies.Remove(Shanzhi.Privacy.RetentionClasses.HealthStatusHistory);
        IRetentionTarget[] targets =
        [
            new TableRetentionTarget(Shanzhi.Privacy.RetentionClasses.Movement, Passage.Table, Passage.OccurredAtColumn),
            new TableRetentionTarget(Shanzhi.Privacy.RetentionClasses.HealthStatusHistory, HealthStatusChange.Table, HealthStatusChange.RecordedAtColumn),
        ];

        var record = ProcessingRecord.Build(db.Model, targets, retention);

        var passages = record.Activities.Single(a => a.Entity == "Passage");
        var history = record.Activities.Single(a => a.Entity == "HealthStatusChange");
        var trace = record.Activities.Single(a => a.Entity == "TraceSnapshot");
        Assert.All(passages.Fields, f => Assert.Equal("自发生之日起保存 14 天，到期删除。", f.Retention));
        Assert.All(history.Fields, f => Assert.Equal("未设定期限，随所属记录保存", f.Retention));
        Assert.All(trace.Fields, f => Assert.Equal("自发生之日起保存 28 天，到期删除。", f.Retention));
    }

    private static ShanzhiDbContext SqliteModel()
    {
        var builder = new DbContextOptionsBuilder<SqliteShanzhiDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(builder, "model-only.db");
        return new SqliteShanzhiDbContext(builder.Options);
    }

    private sealed class Complaint
    {
        public int Id { get; set; }

        public string Text { get; set; } = "";
    }

    [Classify(DataClass.Internal, "来访登记")]
    private sealed class Visit
    {
        public int Id { get; set; }

        public string VisitorPhone { get; set; } = "";
    }

    private sealed class UnclassifiedContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseSqlite("Data Source=:memory:");

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Complaint>();
            modelBuilder.Entity<Visit>();
        }
    }
}
