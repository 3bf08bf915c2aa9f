using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shanzhi.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RuleHitRef : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "hit_ref",
                table: "health_status_changes",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_health_status_changes_person_key_hit_ref",
                table: "health_status_changes",
                columns: new[] { "person_key", "hit_ref" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_health_status_changes_person_key_hit_ref",
                table: "health_status_changes");

            migrationBuilder.DropColumn(
                name: "hit_ref",
                table: "health_status_changes");
        }
    }
}
