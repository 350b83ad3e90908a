#!/bin/sh
# Writes random secrets for compose.yaml into ./secrets (a directory only you can enter), keeping those that exist.
# The files themselves are readable by all so that the containers' users (uid 1654, mosquitto) can read them
# through the bind mount; the directory's mode keeps other users of this host out.
set -eu
cd "$(dirname "$0")"
mkdir -p secrets
chmod 700 secrets
for name in mqtt-password influx-token; do
  if [ -s "secrets/$name" ]; then
    echo "secrets/$name: exists, kept"
  else
    openssl rand -hex 24 > "secrets/$name"
    chmod 644 "secrets/$name"
    echo "secrets/$name: written"
  fi
done
