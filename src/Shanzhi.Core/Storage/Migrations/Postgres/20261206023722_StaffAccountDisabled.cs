using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shanzhi.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StaffAccountDisabled : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_disabled",
                table: "identity_users",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_disabled",
                table: "identity_users");
        }
    }
}
