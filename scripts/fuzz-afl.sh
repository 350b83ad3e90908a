#!/usr/bin/env bash
# The edge agent's parsers under AFL++ for a fixed time (make fuzz AFL_SECONDS=n): SharpFuzz instruments a copy of
# IotTelemetry.Edge.dll, AFL++ drives `iott-fuzz afl-target` from the seeds of tools/IotTelemetry.Fuzz/Seeds.cs. Exits 1 when
# AFL++ saved a crash (an exception escaped a parser); the inputs are left in artifacts/afl/crashes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-120}"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
command -v afl-fuzz >/dev/null || { echo "fuzz-afl: afl-fuzz is missing: scripts/setup.sh fuzz installs afl++" >&2; exit 1; }
tools=artifacts/tools
if [ ! -x "$tools/sharpfuzz" ]; then
  say "dotnet tool: installing SharpFuzz.CommandLine 2.3.0 into $tools"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi
work=artifacts/afl
rm -rf "$work" && mkdir -p "$work"
cp -r tools/IotTelemetry.Fuzz.Cli/bin/Release/net10.0 "$work/target"
"$tools/sharpfuzz" "$work/target/IotTelemetry.Edge.dll"
dotnet "$work/target/iott-fuzz.dll" write-seeds "$work/in"
say "afl++: the parsers for $seconds s (SharpFuzz-instrumented IotTelemetry.Edge.dll)"
# dotnet is not an AFL-compiled binary (SharpFuzz provides the fork server); the machine's core_pattern and CPU governor are not ours to change.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  afl-fuzz -i "$work/in" -o "$work/out" -t 10000 -m none -V "$seconds" -- dotnet "$work/target/iott-fuzz.dll" afl-target > "$work/afl.log" 2>&1 \
  || { tail -n 30 "$work/afl.log" >&2; exit 1; }
stats="$work/out/default/fuzzer_stats"
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "| afl++ run time | executions | executions/s | corpus | edges found | crashes | hangs |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
echo "| $(stat run_time) s | $(stat execs_done) | $(stat execs_per_sec) | $(stat corpus_count) | $(stat edges_found) | $(stat saved_crashes) | $(stat saved_hangs) |"
crashes=$(find "$work/out/default/crashes" -type f -name 'id:*' | wc -l)
if [ "$crashes" -gt 0 ]; then
  mkdir -p "$work/crashes" && cp "$work/out/default/crashes"/id:* "$work/crashes/"
  echo "fuzz-afl: FAILED: $crashes crashing inputs in $work/crashes (keep each as a regression test in tests/IotTelemetry.Edge.Tests)"
  exit 1
fi
echo "fuzz-afl: passed"
