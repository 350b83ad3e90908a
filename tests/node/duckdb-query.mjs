// Runs SQL statements in an in-memory DuckDB and prints the results as one JSON document:
//   stdin:  ["SELECT ...", "SELECT ..."]
//   stdout: [[{col: value, ...}, ...], ...]   (one array of row objects per statement)
// Values use DuckDB's JSON conversion: BIGINT, TIMESTAMP, DECIMAL and BLOB as strings, NaN/Infinity as strings.
// On failure it prints the statement and DuckDB's message to stderr and exits with code 1.
import { DuckDBInstance } from "@duckdb/node-api";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const statements = JSON.parse(Buffer.concat(chunks).toString("utf8"));
if (!Array.isArray(statements)) {
  console.error("expected a JSON array of SQL strings on stdin");
  process.exit(2);
}

const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const results = [];
for (const sql of statements) {
  try {
    const reader = await connection.runAndReadAll(sql);
    results.push(reader.getRowObjectsJson());
  } catch (error) {
    console.error(`DuckDB failed on: ${sql}\n${error && error.message ? error.message : error}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(results));
connection.closeSync?.();
