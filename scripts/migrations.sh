#!/usr/bin/env bash
# Add a migration for both providers, or rebuild the initial one before the first release:
#   scripts/migrations.sh add NAME
#   scripts/migrations.sh reset-initial
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
core=src/Shanzhi.Core

add() {
    dotnet dotnet-ef migrations add "$1" --project "$core" --context SqliteShanzhiDbContext --output-dir Storage/Migrations/Sqlite
    dotnet dotnet-ef migrations add "$1" --project "$core" --context PostgresShanzhiDbContext --output-dir Storage/Migrations/Postgres
}

case "${1:-}" in
    add) add "$2" ;;
    reset-initial)
        rm -rf "$core/Storage/Migrations"
        add Initial ;;
    *) echo "usage: $0 add NAME | reset-initial" >&2; exit 2 ;;
esac
