#!/usr/bin/env bash
# Installs what IotTelemetry needs on a Debian 12 machine, idempotently, saying what it does.
#   scripts/setup.sh run    what `make run` needs
#   scripts/setup.sh test   what `make test` and `make bench` need (a superset)
#   scripts/setup.sh fuzz   what `make fuzz` needs (test, and afl++)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "setup: installing Debian packages needs root (run as root, or install them yourself: $*)" >&2
    exit 1
  fi
}

apt_packages=(mosquitto mosquitto-clients openssl curl)
# VictoriaMetrics: a server of the InfluxDB v2 write API, the InfluxDB sink's target in `make run` and in the tests.
apt_packages+=(victoria-metrics)
# Prometheus: the tests' independent scraper of /metrics.
if [ "$what" = test ] || [ "$what" = fuzz ]; then apt_packages+=(prometheus chromium); fi
# AFL++: drives the parsers of `make fuzz` (SharpFuzz instruments them).
if [ "$what" = fuzz ]; then apt_packages+=(afl++); fi
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs npm)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  need_root "${missing[*]}"
  say "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packaged services are not used: the pipeline and the tests start their own instances on loopback.
  for svc in mosquitto victoria-metrics prometheus; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then systemctl disable --now "$svc" >/dev/null 2>&1 || true; fi
  done
else
  say "apt: ${apt_packages[*]} already installed"
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (dotnet on PATH); Debian does not package it." >&2
  exit 1
fi

# The node peers: node-opcua (the simulated PLC of `make run`, the OPC UA server of the tests), the Sparkplug
# encoder and edge node (Eclipse Tahu's sparkplug-payload and sparkplug-client) and Azurite (the Azure Blob emulator
# of the lake's object-storage tests and of `make run LAKE=azurite`). (DuckDB, the tests' independent Parquet reader, comes embedded through NuGet's DuckDB.NET.Data.Full.)
if true; then
  stamp=tests/node/node_modules/.iott-installed
  if [ ! -f "$stamp" ] || [ tests/node/package.json -nt "$stamp" ] || [ tests/node/package-lock.json -nt "$stamp" ]; then
    say "npm: installing node-opcua, sparkplug-payload, sparkplug-client and azurite in tests/node"
    (cd tests/node && npm install --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  else
    say "npm: tests/node packages already installed"
  fi
fi

say "dotnet: restoring packages"
dotnet restore IotTelemetry.sln --verbosity quiet
