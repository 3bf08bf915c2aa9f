using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shanzhi.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_chain_heads",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_heads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_records",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    actor_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    subject_type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    subject_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    purpose = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    previous_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_records", x => x.sequence);
                });

            migrationBuilder.CreateTable(
                name: "calendar_days",
                columns: table => new
                {
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    is_working_day = table.Column<bool>(type: "INTEGER", nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_calendar_days", x => x.date);
                });

            migrationBuilder.CreateTable(
                name: "case_counters",
                columns: table => new
                {
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    value = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_counters", x => x.day);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    case_no = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    external_ref = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    channel = table.Column<int>(type: "INTEGER", nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    region_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    asset_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    reporter_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    reported_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<int>(type: "INTEGER", nullable: false),
                    category_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    handler_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    verifier_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    parent_case_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    filed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    dispatched_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    deadline = table.Column<long>(type: "INTEGER", nullable: true),
                    handling_deadline = table.Column<long>(type: "INTEGER", nullable: true),
                    requested_deadline = table.Column<long>(type: "INTEGER", nullable: true),
                    verification_passed = table.Column<bool>(type: "INTEGER", nullable: false),
                    was_extended = table.Column<bool>(type: "INTEGER", nullable: false),
                    was_reworked = table.Column<bool>(type: "INTEGER", nullable: false),
                    escalated_at = table.Column<long>(type: "INTEGER", nullable: true),
                    state_before_suspension = table.Column<int>(type: "INTEGER", nullable: true),
                    satisfaction = table.Column<int>(type: "INTEGER", nullable: true),
                    event_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "category_groups",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_category_groups", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "employers",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    credit_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_employers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "grid_assignments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    grid_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    is_responsible = table.Column<bool>(type: "INTEGER", nullable: false),
                    employment = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    valid_from = table.Column<long>(type: "INTEGER", nullable: false),
                    valid_to = table.Column<long>(type: "INTEGER", nullable: true),
                    assigned_by = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_assignments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "grid_duty_kinds",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    summary = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    responsible_unit_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    minutes_per_task = table.Column<int>(type: "INTEGER", nullable: false),
                    subsidy_points = table.Column<int>(type: "INTEGER", nullable: false),
                    is_key_person_visit = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_duty_kinds", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "grid_incentive_entries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    source_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    points = table.Column<int>(type: "INTEGER", nullable: false),
                    case_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_incentive_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "grid_key_persons",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    grid_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name_cipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    phone_cipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    address_cipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    removed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_key_persons", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "grid_micro_grids",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    grid_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    households = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_micro_grids", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "grid_patrol_alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    task_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    grid_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    duty_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    assignee_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    raised_at = table.Column<long>(type: "INTEGER", nullable: false),
                    acknowledged_at = table.Column<long>(type: "INTEGER", nullable: true),
                    acknowledged_by = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_patrol_alerts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "identity_roles",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "identity_users",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    scope_region_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    scope_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    security_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    lockout_end = table.Column<long>(type: "INTEGER", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    access_failed_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "investigations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    index_person_key = table.Column<long>(type: "INTEGER", nullable: false),
                    confirmed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    anchor_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    anchor_kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    rule_set_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    rule_set_version = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    legal_basis = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    legal_basis_note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    scope_region_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    scope_path = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    scope_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    scope_to = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    purpose = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    opened_by_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    opened_by_name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    opened_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    close_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_investigations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "passages",
                columns: table => new
                {
                    device_id = table.Column<long>(type: "INTEGER", nullable: false),
                    device_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    entrance_id = table.Column<long>(type: "INTEGER", nullable: false),
                    place_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_key = table.Column<long>(type: "INTEGER", nullable: true),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    occurred_hour = table.Column<long>(type: "INTEGER", nullable: false),
                    direction = table.Column<short>(type: "INTEGER", nullable: false),
                    decision = table.Column<short>(type: "INTEGER", nullable: false),
                    channel = table.Column<short>(type: "INTEGER", nullable: false),
                    status_at_passage = table.Column<short>(type: "INTEGER", nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_passages", x => new { x.device_id, x.device_sequence });
                });

            migrationBuilder.CreateTable(
                name: "persons",
                columns: table => new
                {
                    key = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name_cipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    id_number_cipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    id_number_index = table.Column<byte[]>(type: "BLOB", nullable: false),
                    phone_cipher = table.Column<byte[]>(type: "BLOB", nullable: true),
                    residency = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    home_grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_persons", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "pi_handlers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    credit_code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    industry = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    scale = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    key_supervision = table.Column<bool>(type: "INTEGER", nullable: false),
                    officer_name_cipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    officer_phone_cipher = table.Column<byte[]>(type: "BLOB", nullable: false),
                    officer_phone_index = table.Column<byte[]>(type: "BLOB", nullable: false),
                    self_assessment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pi_handlers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "places",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    region_path = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_places", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "regions",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    parent_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    boundary = table.Column<byte[]>(type: "BLOB", nullable: true),
                    center_latitude = table.Column<double>(type: "REAL", nullable: true),
                    center_longitude = table.Column<double>(type: "REAL", nullable: true),
                    is_generated = table.Column<bool>(type: "INTEGER", nullable: false),
                    valid_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_regions", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "routing_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    category_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    region_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_rules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "unidentified_followups",
                columns: table => new
                {
                    device_id = table.Column<long>(type: "INTEGER", nullable: false),
                    device_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    place_id = table.Column<long>(type: "INTEGER", nullable: false),
                    case_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    opened_at = table.Column<long>(type: "INTEGER", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    person_key = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unidentified_followups", x => new { x.device_id, x.device_sequence });
                });

            migrationBuilder.CreateTable(
                name: "units",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    region_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_units", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "attachments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    case_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    stage = table.Column<int>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    storage_path = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    uploaded_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    uploaded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_attachments", x => x.id);
                    table.ForeignKey(
                        name: "FK_attachments_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "case_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    case_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    from_state = table.Column<int>(type: "INTEGER", nullable: false),
                    to_state = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    unit_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    deadline = table.Column<long>(type: "INTEGER", nullable: true),
                    value = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_case_events_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "categories",
                columns: table => new
                {
                    code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    group_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    filing_criterion = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    closing_criterion = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    filing_limit_hours = table.Column<int>(type: "INTEGER", nullable: false),
                    dispatch_limit_hours = table.Column<int>(type: "INTEGER", nullable: false),
                    verification_limit_hours = table.Column<int>(type: "INTEGER", nullable: false),
                    default_unit_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    is_active = table.Column<bool>(type: "INTEGER", nullable: false),
                    handling_limit_unit = table.Column<int>(type: "INTEGER", nullable: false),
                    handling_limit_value = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_categories", x => x.code);
                    table.ForeignKey(
                        name: "FK_categories_category_groups_group_code",
                        column: x => x.group_code,
                        principalTable: "category_groups",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "grid_duties",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    duty_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    region_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    admitted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    admission_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    withdrawn_at = table.Column<long>(type: "INTEGER", nullable: true),
                    withdrawal_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_duties", x => x.id);
                    table.ForeignKey(
                        name: "FK_grid_duties_grid_duty_kinds_duty_code",
                        column: x => x.duty_code,
                        principalTable: "grid_duty_kinds",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "grid_duty_changes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    duty_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    region_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    requested_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    decided_by = table.Column<Guid>(type: "TEXT", nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    decision_note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    handed_over_tasks = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_duty_changes", x => x.id);
                    table.ForeignKey(
                        name: "FK_grid_duty_changes_grid_duty_kinds_duty_code",
                        column: x => x.duty_code,
                        principalTable: "grid_duty_kinds",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "grid_patrol_plans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    grid_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    duty_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    frequency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    interval_days = table.Column<int>(type: "INTEGER", nullable: false),
                    starts_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ends_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    assignee_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    key_person_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_patrol_plans", x => x.id);
                    table.ForeignKey(
                        name: "FK_grid_patrol_plans_grid_duty_kinds_duty_code",
                        column: x => x.duty_code,
                        principalTable: "grid_duty_kinds",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "grid_micro_grid_members",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    micro_grid_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    is_leader = table.Column<bool>(type: "INTEGER", nullable: false),
                    valid_from = table.Column<long>(type: "INTEGER", nullable: false),
                    valid_to = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_micro_grid_members", x => x.id);
                    table.ForeignKey(
                        name: "FK_grid_micro_grid_members_grid_micro_grids_micro_grid_id",
                        column: x => x.micro_grid_id,
                        principalTable: "grid_micro_grids",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_role_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    role_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "FK_identity_role_claims_identity_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "identity_roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "FK_identity_user_claims_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    provider_key = table.Column<string>(type: "TEXT", nullable: false),
                    provider_display_name = table.Column<string>(type: "TEXT", nullable: true),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "FK_identity_user_logins_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_user_roles",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    role_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "FK_identity_user_roles_identity_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "identity_roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_identity_user_roles_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "identity_user_tokens",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    login_provider = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "FK_identity_user_tokens_identity_users_user_id",
                        column: x => x.user_id,
                        principalTable: "identity_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "investigation_follow_ups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    investigation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    trace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    case_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    case_no = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    close_contacts = table.Column<int>(type: "INTEGER", nullable: false),
                    secondary_contacts = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_investigation_follow_ups", x => x.id);
                    table.ForeignKey(
                        name: "FK_investigation_follow_ups_investigations_investigation_id",
                        column: x => x.investigation_id,
                        principalTable: "investigations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "investigation_traces",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    investigation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ran_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ran_by_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    rule_set_version = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    close_contacts = table.Column<int>(type: "INTEGER", nullable: false),
                    secondary_contacts = table.Column<int>(type: "INTEGER", nullable: false),
                    edges_json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_investigation_traces", x => x.id);
                    table.ForeignKey(
                        name: "FK_investigation_traces_investigations_investigation_id",
                        column: x => x.investigation_id,
                        principalTable: "investigations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "health_override_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    person_key = table.Column<long>(type: "INTEGER", nullable: false),
                    to = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    requested_by_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    requested_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    change_id = table.Column<long>(type: "INTEGER", nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    rejected_by_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    rejected_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    rejection_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_health_override_requests", x => x.id);
                    table.ForeignKey(
                        name: "FK_health_override_requests_persons_person_key",
                        column: x => x.person_key,
                        principalTable: "persons",
                        principalColumn: "key",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "health_status_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    person_key = table.Column<long>(type: "INTEGER", nullable: false),
                    from = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    to = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    source_system = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    upstream_ref = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    rule_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    evidence = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    evidence_ref = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    requested_by_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    requested_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    approved_by_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_health_status_changes", x => x.id);
                    table.ForeignKey(
                        name: "FK_health_status_changes_persons_person_key",
                        column: x => x.person_key,
                        principalTable: "persons",
                        principalColumn: "key",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pi_handler_complaints",
                columns: table => new
                {
                    case_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    handler_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    linked_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pi_handler_complaints", x => x.case_id);
                    table.ForeignKey(
                        name: "FK_pi_handler_complaints_cases_case_id",
                        column: x => x.case_id,
                        principalTable: "cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_pi_handler_complaints_pi_handlers_handler_id",
                        column: x => x.handler_id,
                        principalTable: "pi_handlers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pi_inspections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    handler_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    inspector = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    result = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pi_inspections", x => x.id);
                    table.ForeignKey(
                        name: "FK_pi_inspections_pi_handlers_handler_id",
                        column: x => x.handler_id,
                        principalTable: "pi_handlers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "entrances",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    place_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_entrances", x => x.id);
                    table.ForeignKey(
                        name: "FK_entrances_places_place_id",
                        column: x => x.place_id,
                        principalTable: "places",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "roster_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    employer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_key = table.Column<long>(type: "INTEGER", nullable: false),
                    valid_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    ended_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_roster_entries", x => x.id);
                    table.ForeignKey(
                        name: "FK_roster_entries_employers_employer_id",
                        column: x => x.employer_id,
                        principalTable: "employers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_roster_entries_places_site_id",
                        column: x => x.site_id,
                        principalTable: "places",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "grid_patrol_tasks",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    plan_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    grid_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    grid_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    duty_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    assignee_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    key_person_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    case_id = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_patrol_tasks", x => x.id);
                    table.ForeignKey(
                        name: "FK_grid_patrol_tasks_grid_patrol_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "grid_patrol_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pi_findings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    inspection_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    handler_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    severity = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    case_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    case_no = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pi_findings", x => x.id);
                    table.ForeignKey(
                        name: "FK_pi_findings_pi_inspections_inspection_id",
                        column: x => x.inspection_id,
                        principalTable: "pi_inspections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    entrance_id = table.Column<long>(type: "INTEGER", nullable: false),
                    label = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    api_key_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_devices", x => x.id);
                    table.ForeignKey(
                        name: "FK_devices_entrances_entrance_id",
                        column: x => x.entrance_id,
                        principalTable: "entrances",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "grid_visits",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    task_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    visited_at = table.Column<long>(type: "INTEGER", nullable: false),
                    latitude = table.Column<double>(type: "REAL", nullable: false),
                    longitude = table.Column<double>(type: "REAL", nullable: false),
                    meters_outside = table.Column<double>(type: "REAL", nullable: false),
                    notes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    photo_ref = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_visits", x => x.id);
                    table.ForeignKey(
                        name: "FK_grid_visits_grid_patrol_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "grid_patrol_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_attachments_case_id",
                table: "attachments",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_actor_id_at",
                table: "audit_records",
                columns: new[] { "actor_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_at",
                table: "audit_records",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_records_subject_type_subject_id",
                table: "audit_records",
                columns: new[] { "subject_type", "subject_id" });

            migrationBuilder.CreateIndex(
                name: "IX_case_events_case_id_sequence",
                table: "case_events",
                columns: new[] { "case_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_events_type_at",
                table: "case_events",
                columns: new[] { "type", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_case_no",
                table: "cases",
                column: "case_no",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_external_ref",
                table: "cases",
                column: "external_ref");

            migrationBuilder.CreateIndex(
                name: "IX_cases_region_path_state",
                table: "cases",
                columns: new[] { "region_path", "state" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_reported_at",
                table: "cases",
                column: "reported_at");

            migrationBuilder.CreateIndex(
                name: "IX_cases_state_deadline",
                table: "cases",
                columns: new[] { "state", "deadline" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_unit_id",
                table: "cases",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_categories_group_code",
                table: "categories",
                column: "group_code");

            migrationBuilder.CreateIndex(
                name: "IX_devices_api_key_hash",
                table: "devices",
                column: "api_key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_devices_entrance_id",
                table: "devices",
                column: "entrance_id");

            migrationBuilder.CreateIndex(
                name: "IX_employers_credit_code",
                table: "employers",
                column: "credit_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_entrances_place_id",
                table: "entrances",
                column: "place_id");

            migrationBuilder.CreateIndex(
                name: "IX_grid_assignments_grid_code_valid_to",
                table: "grid_assignments",
                columns: new[] { "grid_code", "valid_to" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_assignments_user_id_valid_to",
                table: "grid_assignments",
                columns: new[] { "user_id", "valid_to" });

            migrationBuilder.CreateIndex(
                name: "ux_grid_assignments_responsible",
                table: "grid_assignments",
                column: "grid_code",
                unique: true,
                filter: "\"valid_to\" IS NULL AND \"is_responsible\" = TRUE");

            migrationBuilder.CreateIndex(
                name: "IX_grid_duties_duty_code_withdrawn_at",
                table: "grid_duties",
                columns: new[] { "duty_code", "withdrawn_at" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_duty_changes_duty_code",
                table: "grid_duty_changes",
                column: "duty_code");

            migrationBuilder.CreateIndex(
                name: "IX_grid_duty_changes_status_requested_at",
                table: "grid_duty_changes",
                columns: new[] { "status", "requested_at" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_incentive_entries_reason_source_key",
                table: "grid_incentive_entries",
                columns: new[] { "reason", "source_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_grid_incentive_entries_user_id_day",
                table: "grid_incentive_entries",
                columns: new[] { "user_id", "day" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_key_persons_grid_path_category",
                table: "grid_key_persons",
                columns: new[] { "grid_path", "category" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_micro_grid_members_micro_grid_id_valid_to",
                table: "grid_micro_grid_members",
                columns: new[] { "micro_grid_id", "valid_to" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_micro_grid_members_user_id_valid_to",
                table: "grid_micro_grid_members",
                columns: new[] { "user_id", "valid_to" });

            migrationBuilder.CreateIndex(
                name: "ux_grid_micro_grid_members_leader",
                table: "grid_micro_grid_members",
                column: "micro_grid_id",
                unique: true,
                filter: "\"valid_to\" IS NULL AND \"is_leader\" = TRUE");

            migrationBuilder.CreateIndex(
                name: "IX_grid_micro_grids_grid_code_name",
                table: "grid_micro_grids",
                columns: new[] { "grid_code", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_alerts_grid_path_raised_at",
                table: "grid_patrol_alerts",
                columns: new[] { "grid_path", "raised_at" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_alerts_task_id_kind",
                table: "grid_patrol_alerts",
                columns: new[] { "task_id", "kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_plans_duty_code",
                table: "grid_patrol_plans",
                column: "duty_code");

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_plans_grid_code_duty_code",
                table: "grid_patrol_plans",
                columns: new[] { "grid_code", "duty_code" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_tasks_assignee_id_day",
                table: "grid_patrol_tasks",
                columns: new[] { "assignee_id", "day" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_tasks_grid_path_day",
                table: "grid_patrol_tasks",
                columns: new[] { "grid_path", "day" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_tasks_plan_id_day",
                table: "grid_patrol_tasks",
                columns: new[] { "plan_id", "day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_grid_patrol_tasks_state_due_at",
                table: "grid_patrol_tasks",
                columns: new[] { "state", "due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_visits_task_id",
                table: "grid_visits",
                column: "task_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_grid_visits_user_id_visited_at",
                table: "grid_visits",
                columns: new[] { "user_id", "visited_at" });

            migrationBuilder.CreateIndex(
                name: "IX_health_override_requests_person_key_state",
                table: "health_override_requests",
                columns: new[] { "person_key", "state" });

            migrationBuilder.CreateIndex(
                name: "IX_health_status_changes_person_key_id",
                table: "health_status_changes",
                columns: new[] { "person_key", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_health_status_changes_source_system_upstream_ref",
                table: "health_status_changes",
                columns: new[] { "source_system", "upstream_ref" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_identity_role_claims_role_id",
                table: "identity_role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "identity_roles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_identity_user_claims_user_id",
                table: "identity_user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_identity_user_logins_user_id",
                table: "identity_user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_identity_user_roles_role_id",
                table: "identity_user_roles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "identity_users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "identity_users",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_investigation_follow_ups_investigation_id_grid_code",
                table: "investigation_follow_ups",
                columns: new[] { "investigation_id", "grid_code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_investigation_traces_investigation_id_ran_at",
                table: "investigation_traces",
                columns: new[] { "investigation_id", "ran_at" });

            migrationBuilder.CreateIndex(
                name: "IX_investigations_index_person_key",
                table: "investigations",
                column: "index_person_key");

            migrationBuilder.CreateIndex(
                name: "IX_investigations_number",
                table: "investigations",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_investigations_scope_path",
                table: "investigations",
                column: "scope_path");

            migrationBuilder.CreateIndex(
                name: "IX_passages_occurred_at",
                table: "passages",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "IX_passages_occurred_hour_person_key_occurred_at",
                table: "passages",
                columns: new[] { "occurred_hour", "person_key", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_persons_home_grid_code",
                table: "persons",
                column: "home_grid_code");

            migrationBuilder.CreateIndex(
                name: "IX_persons_id_number_index",
                table: "persons",
                column: "id_number_index",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_persons_updated_at",
                table: "persons",
                column: "updated_at");

            migrationBuilder.CreateIndex(
                name: "IX_pi_findings_handler_id",
                table: "pi_findings",
                column: "handler_id");

            migrationBuilder.CreateIndex(
                name: "IX_pi_findings_inspection_id",
                table: "pi_findings",
                column: "inspection_id");

            migrationBuilder.CreateIndex(
                name: "IX_pi_handler_complaints_handler_id",
                table: "pi_handler_complaints",
                column: "handler_id");

            migrationBuilder.CreateIndex(
                name: "IX_pi_handlers_credit_code",
                table: "pi_handlers",
                column: "credit_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_pi_handlers_officer_phone_index",
                table: "pi_handlers",
                column: "officer_phone_index");

            migrationBuilder.CreateIndex(
                name: "IX_pi_handlers_region_code_industry",
                table: "pi_handlers",
                columns: new[] { "region_code", "industry" });

            migrationBuilder.CreateIndex(
                name: "IX_pi_inspections_handler_id_date",
                table: "pi_inspections",
                columns: new[] { "handler_id", "date" });

            migrationBuilder.CreateIndex(
                name: "IX_places_region_path",
                table: "places",
                column: "region_path");

            migrationBuilder.CreateIndex(
                name: "IX_regions_level",
                table: "regions",
                column: "level");

            migrationBuilder.CreateIndex(
                name: "IX_regions_parent_code",
                table: "regions",
                column: "parent_code");

            migrationBuilder.CreateIndex(
                name: "IX_regions_path",
                table: "regions",
                column: "path");

            migrationBuilder.CreateIndex(
                name: "IX_roster_entries_created_at",
                table: "roster_entries",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_roster_entries_employer_id",
                table: "roster_entries",
                column: "employer_id");

            migrationBuilder.CreateIndex(
                name: "IX_roster_entries_ended_at",
                table: "roster_entries",
                column: "ended_at");

            migrationBuilder.CreateIndex(
                name: "IX_roster_entries_site_id_person_key",
                table: "roster_entries",
                columns: new[] { "site_id", "person_key" });

            migrationBuilder.CreateIndex(
                name: "IX_unidentified_followups_case_id",
                table: "unidentified_followups",
                column: "case_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_units_name",
                table: "units",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "attachments");

            migrationBuilder.DropTable(
                name: "audit_chain_heads");

            migrationBuilder.DropTable(
                name: "audit_records");

            migrationBuilder.DropTable(
                name: "calendar_days");

            migrationBuilder.DropTable(
                name: "case_counters");

            migrationBuilder.DropTable(
                name: "case_events");

            migrationBuilder.DropTable(
                name: "categories");

            migrationBuilder.DropTable(
                name: "devices");

            migrationBuilder.DropTable(
                name: "grid_assignments");

            migrationBuilder.DropTable(
                name: "grid_duties");

            migrationBuilder.DropTable(
                name: "grid_duty_changes");

            migrationBuilder.DropTable(
                name: "grid_incentive_entries");

            migrationBuilder.DropTable(
                name: "grid_key_persons");

            migrationBuilder.DropTable(
                name: "grid_micro_grid_members");

            migrationBuilder.DropTable(
                name: "grid_patrol_alerts");

            migrationBuilder.DropTable(
                name: "grid_visits");

            migrationBuilder.DropTable(
                name: "health_override_requests");

            migrationBuilder.DropTable(
                name: "health_status_changes");

            migrationBuilder.DropTable(
                name: "identity_role_claims");

            migrationBuilder.DropTable(
                name: "identity_user_claims");

            migrationBuilder.DropTable(
                name: "identity_user_logins");

            migrationBuilder.DropTable(
                name: "identity_user_roles");

            migrationBuilder.DropTable(
                name: "identity_user_tokens");

            migrationBuilder.DropTable(
                name: "investigation_follow_ups");

            migrationBuilder.DropTable(
                name: "investigation_traces");

            migrationBuilder.DropTable(
                name: "passages");

            migrationBuilder.DropTable(
                name: "pi_findings");

            migrationBuilder.DropTable(
                name: "pi_handler_complaints");

            migrationBuilder.DropTable(
                name: "regions");

            migrationBuilder.DropTable(
                name: "roster_entries");

            migrationBuilder.DropTable(
                name: "routing_rules");

            migrationBuilder.DropTable(
                name: "unidentified_followups");

            migrationBuilder.DropTable(
                name: "units");

            migrationBuilder.DropTable(
                name: "category_groups");

            migrationBuilder.DropTable(
                name: "entrances");

            migrationBuilder.DropTable(
                name: "grid_micro_grids");

            migrationBuilder.DropTable(
                name: "grid_patrol_tasks");

            migrationBuilder.DropTable(
                name: "persons");

            migrationBuilder.DropTable(
                name: "identity_roles");

            migrationBuilder.DropTable(
                name: "identity_users");

            migrationBuilder.DropTable(
                name: "investigations");

            migrationBuilder.DropTable(
                name: "pi_inspections");

            migrationBuilder.DropTable(
                name: "cases");

            migrationBuilder.DropTable(
                name: "employers");

            migrationBuilder.DropTable(
                name: "places");

            migrationBuilder.DropTable(
                name: "grid_patrol_plans");

            migrationBuilder.DropTable(
                name: "pi_handlers");

            migrationBuilder.DropTable(
                name: "grid_duty_kinds");
        }
    }
}
