"""Prints tables of a DuckDB file as JSON, one line per table, for DbtMartsTest.

Usage: python duckdb_marts.py <database file> <schema> <table>...
Each line: {"table": name, "columns": [...], "rows": [[...], ...]}; doubles as JSON numbers
(Python's shortest exact form), timestamps in ISO 8601 with their offset, NULL as null.
"""
import datetime
import decimal
import json
import sys

import duckdb


def value(v):
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    return v


def main(path, schema, tables):
    connection = duckdb.connect(path, read_only=True)
    for table in tables:
        # Names come from the test's own list of marts, never from input.
        result = connection.execute(f'select * from "{schema}"."{table}"')
        columns = [d[0] for d in result.description]
        rows = [[value(v) for v in row] for row in result.fetchall()]
        print(json.dumps({"table": table, "columns": columns, "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
