#!/bin/sh
# Kafka ACLs for one equipment vendor on the cloud cluster: the vendor's principal may read its curated
# topic, and only that topic, with consumer groups whose names start with its prefix. See README.md.
#
# Usage: BOOTSTRAP=kafka-1:9093 ADMIN_CONFIG=admin.properties VENDOR=pumpco ./vendor-acls.sh
# Requires Kafka's command-line tools (kafka-acls.sh, kafka-configs.sh) on PATH.
set -eu

: "${BOOTSTRAP:?set BOOTSTRAP to the cloud cluster's SASL_SSL listener, e.g. kafka-1:9093}"
: "${ADMIN_CONFIG:?set ADMIN_CONFIG to a client properties file of an admin principal}"
: "${VENDOR:?set VENDOR to the vendor name of the edge policy (Vendors:N:Name)}"
TOPIC="${TOPIC:-vendor.$VENDOR}"                 # Vendors:N:CloudTopic (default vendor.<name>)
PRINCIPAL="${PRINCIPAL:-User:vendor-$VENDOR}"    # the vendor's SASL user
MIRROR_PRINCIPAL="${MIRROR_PRINCIPAL:-User:iott-edge}"  # the edge agents' SASL user on the cloud cluster

# 1. The vendor's SCRAM credential. The password is read from a file, never typed on the command line.
if [ -n "${VENDOR_PASSWORD_FILE:-}" ]; then
  kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --alter \
    --add-config "SCRAM-SHA-512=[password=$(cat "$VENDOR_PASSWORD_FILE")]" \
    --entity-type users --entity-name "${PRINCIPAL#User:}"
fi

# 2. Read (and Describe) on its topic only: a literal resource, not a prefix.
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add \
  --allow-principal "$PRINCIPAL" --operation Read --operation Describe \
  --topic "$TOPIC" --resource-pattern-type literal

# 3. Consumer groups named vendor-<name>-... (needed to commit offsets); nothing else.
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add \
  --allow-principal "$PRINCIPAL" --operation Read --operation Describe \
  --group "vendor-$VENDOR-" --resource-pattern-type prefixed

# 4. The edge agents' mirror writes the topic (idempotent producer) and reads it back to resume.
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add \
  --allow-principal "$MIRROR_PRINCIPAL" --operation Write --operation Read --operation Describe \
  --topic "$TOPIC" --resource-pattern-type literal
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add \
  --allow-principal "$MIRROR_PRINCIPAL" --operation IdempotentWrite --cluster

# 5. Show the result.
kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --list --principal "$PRINCIPAL"
