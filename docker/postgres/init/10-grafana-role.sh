#!/usr/bin/env bash
# Runs once, when the postgres-data volume is first initialised (/docker-entrypoint-initdb.d),
# as the database owner (PG_USER). The pipeline's own tables come later, from `make db-migrate`;
# this only prepares what must exist before them: `grafana`, a login that can read every table
# and view the owner creates, now or later, and can change nothing.
#
# To change its password afterwards: ALTER ROLE grafana PASSWORD '...' (or `make down-v`, which
# drops all data, and `make up`).
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=grafana_password="$GRAFANA_DB_PASSWORD" --set=owner="$POSTGRES_USER" \
  --set=db="$POSTGRES_DB" <<'SQL'
CREATE ROLE grafana LOGIN PASSWORD :'grafana_password';
-- Belt and braces: even a grant added by mistake later cannot make Grafana write.
ALTER ROLE grafana SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE :"db" TO grafana;
GRANT USAGE ON SCHEMA public TO grafana;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO grafana;
-- Tables, views and schemas the owner creates later (migrations, dbt marts) are readable too.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT SELECT ON TABLES TO grafana;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" GRANT USAGE ON SCHEMAS TO grafana;
SQL
