using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shanzhi.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PassageCommits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "passage_commits",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    writer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    committed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ranges = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_passage_commits", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_passage_commits_committed_at",
                table: "passage_commits",
                column: "committed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "passage_commits");
        }
    }
}
