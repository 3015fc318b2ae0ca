#!/bin/sh
# Sample producer: writes insurance-claim JSON lines to $TOPIC forever, RECORDS_PER_SECOND a second,
# keyed by account id; every MALFORMED_EVERY-th line is malformed in one of four ways, so the DLQ
# and its metrics have something to show. Uses only the tools inside the apache/kafka image.
set -eu
: "${BOOTSTRAP:?BOOTSTRAP is required}"
: "${TOPIC:?TOPIC is required}"
RECORDS_PER_SECOND=${RECORDS_PER_SECOND:-5}
MALFORMED_EVERY=${MALFORMED_EVERY:-25}
KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}

# "-" as the producer means: print to stdout (handy to look at the lines without a broker).
if [ "${1:-}" = "-" ]; then
  sink() { cat; }
else
  sink() {
    "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" \
      --property parse.key=true --property 'key.separator=|' --producer-property linger.ms=50
  }
fi

TZ=UTC awk -v rate="$RECORDS_PER_SECOND" -v bad="$MALFORMED_EVERY" -v limit="${LIMIT:-0}" '
function two(n) { return sprintf("%02d", n) }
BEGIN {
  srand()
  split("OPEN CLOSED REJECTED PAID", statuses, " ")
  split("EUR USD GBP CHF", currencies, " ")
  for (n = 1; limit == 0 || n <= limit; n++) {
    account = "A-" (1 + int(rand() * 50))
    claim = "C-" n
    amount = sprintf("%d.%02d", int(rand() * 20000), int(rand() * 100))
    # Event time: now-ish, sometimes minutes in the past (late records), in ISO-8601 UTC.
    t = systime() - (rand() < 0.05 ? 600 + int(rand() * 1800) : int(rand() * 5))
    ts = strftime("%Y-%m-%dT%H:%M:%SZ", t, 1)
    line = "{\"account\":{\"id\":\"" account "\"},\"claimId\":\"" claim "\",\"amount\":\"" amount \
           "\",\"currency\":\"" currencies[1 + int(rand() * 4)] "\",\"status\":\"" \
           statuses[1 + int(rand() * 4)] "\",\"claimTs\":\"" ts "\"}"
    if (bad > 0 && n % bad == 0) {
      kind = (n / bad) % 4
      if (kind == 0) line = "{\"account\":{\"id\":\"" account "\"},\"claimId\":"      # truncated JSON
      else if (kind == 1) sub(/"amount":"[0-9.]*"/, "\"amount\":\"12,34 EUR\"", line)   # not a decimal
      else if (kind == 2) sub(/"claimId":"[^"]*",/, "", line)                           # missing id
      else sub(/"claimTs":"[^"]*"/, "\"claimTs\":\"yesterday\"", line)                  # bad time
    }
    print account "|" line
    fflush()
    if (n % rate == 0) system("sleep 1")
  }
}' | sink
