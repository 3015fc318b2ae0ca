#!/bin/sh
# One-shot: create the stack's topics with their partition counts. Idempotent (--if-not-exists).
# TOPICS is "name:partitions,name:partitions"; BOOTSTRAP is the broker to talk to.
set -eu
: "${BOOTSTRAP:?BOOTSTRAP is required}"
: "${TOPICS:?TOPICS is required}"
KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}

for spec in $(echo "$TOPICS" | tr ',' ' '); do
  name=${spec%%:*}
  partitions=${spec#*:}
  "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1
  echo "init-topics: $name ($partitions partitions) ready"
done
