#!/usr/bin/env bash
# Creates the impush topics. Idempotent: existing topics are left alone (--if-not-exists), then
# every topic is checked, and the script fails if im.events and push.feedback are not
# co-partitioned (same partition count), which the offline-detector requires.
#
# Run it once per cluster before the first deploy of either service (the services do not create
# their topics; Kafka Streams creates only its own internal changelog topics).
#
#   KAFKA_BOOTSTRAP=kafka-0.kafka:9092 ./deploy/create-topics.sh
#
# Environment (defaults in brackets):
#   KAFKA_BOOTSTRAP       bootstrap servers [$IMPUSH_KAFKA_BOOTSTRAP, else localhost:9092]
#   KAFKA_TOPICS          the kafka-topics tool [kafka-topics.sh; Confluent packages call it kafka-topics]
#   KAFKA_COMMAND_CONFIG  optional client properties file (TLS/SASL) passed as --command-config
#   PARTITIONS            default partition count for every topic [12]
#   USER_PARTITIONS       im.events AND push.feedback (always equal: co-partitioned) [$PARTITIONS]
#   JOBS_PARTITIONS       push.jobs and push.jobs.bulk; the upper bound of push-worker replicas [$PARTITIONS]
#   GATEWAYS_PARTITIONS   im.gateways (read whole by every detector instance: a global store) [$PARTITIONS]
#   DLQ_PARTITIONS        push.dlq [$PARTITIONS]
#   BROADCASTS_PARTITIONS im.broadcasts (broadcast commands: few; the detector copies each to every
#                         partition of its own) [1]
#   REPLICATION_FACTOR    [3]
#   MIN_INSYNC_REPLICAS   [2 when REPLICATION_FACTOR >= 3, else 1]
#   RETENTION_MS          im.events, push.jobs, push.feedback, push.receipts [604800000 = 7 days]
#   DLQ_RETENTION_MS      push.dlq [1209600000 = 14 days]
#   IMPUSH_TOPIC_EVENTS / _GATEWAYS / _JOBS / _JOBS_BULK / _FEEDBACK / _DLQ / _BROADCASTS, IMPUSH_RECEIPTS_TOPIC   topic names, as for the services
#   IMPUSH_RETRY_TIERS / IMPUSH_TOPIC_RETRY_PREFIX   the worker's retry tiers [5s,30s,2m,10m,1h / push.retry.]
#   CREATE_PARALLELISM    kafka-topics runs at once for the tiers and parking topics [4]
#   IMPUSH_TOPIC_PARK_PREFIX   the channels' parking topics [push.park.]; tiers and parking topics
#                         get $JOBS_PARTITIONS partitions, once per lane: chat (as named) and bulk
#                         (bulk. after the prefix: push.retry.bulk.5s, push.park.bulk.apns)
#
# Choose partition counts generously up front. Adding partitions later changes which partition a
# user id hashes to: for im.events / push.feedback that breaks the detector's state (its stores
# are partitioned the same way), so it means a planned migration, not a kafka-topics --alter.
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP:-${IMPUSH_KAFKA_BOOTSTRAP:-localhost:9092}}"
KAFKA_TOPICS="${KAFKA_TOPICS:-kafka-topics.sh}"
PARTITIONS="${PARTITIONS:-12}"
USER_PARTITIONS="${USER_PARTITIONS:-$PARTITIONS}"
JOBS_PARTITIONS="${JOBS_PARTITIONS:-$PARTITIONS}"
GATEWAYS_PARTITIONS="${GATEWAYS_PARTITIONS:-$PARTITIONS}"
DLQ_PARTITIONS="${DLQ_PARTITIONS:-$PARTITIONS}"
BROADCASTS_PARTITIONS="${BROADCASTS_PARTITIONS:-1}"
RF="${REPLICATION_FACTOR:-3}"
if [ "$RF" -ge 3 ]; then default_isr=2; else default_isr=1; fi
MIN_ISR="${MIN_INSYNC_REPLICAS:-$default_isr}"
RETENTION_MS="${RETENTION_MS:-604800000}"
CREATE_PARALLELISM="${CREATE_PARALLELISM:-4}"
DLQ_RETENTION_MS="${DLQ_RETENTION_MS:-1209600000}"

T_EVENTS="${IMPUSH_TOPIC_EVENTS:-im.events}"
T_GATEWAYS="${IMPUSH_TOPIC_GATEWAYS:-im.gateways}"
T_JOBS="${IMPUSH_TOPIC_JOBS:-push.jobs}"
T_JOBS_BULK="${IMPUSH_TOPIC_JOBS_BULK:-push.jobs.bulk}"
T_FEEDBACK="${IMPUSH_TOPIC_FEEDBACK:-push.feedback}"
T_RECEIPTS="${IMPUSH_RECEIPTS_TOPIC:-push.receipts}"
T_DLQ="${IMPUSH_TOPIC_DLQ:-push.dlq}"
T_BROADCASTS="${IMPUSH_TOPIC_BROADCASTS:-im.broadcasts}"
# the worker's retry tiers: one topic per delay, named as the worker names them
RETRY_TIERS="${IMPUSH_RETRY_TIERS:-5s,30s,2m,10m,1h}"
RETRY_PREFIX="${IMPUSH_TOPIC_RETRY_PREFIX:-push.retry.}"
T_TIERS=()
IFS=',' read -r -a tier_delays <<< "$RETRY_TIERS"
PARK_PREFIX="${IMPUSH_TOPIC_PARK_PREFIX:-push.park.}"
for lane in "" "bulk."; do
  for d in "${tier_delays[@]}"; do
    d="$(echo "$d" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
    [ -n "$d" ] && T_TIERS+=("$RETRY_PREFIX$lane$d")
  done
  # each channel's parking topic (deliveries that wait longer than their tier: a spent daily quota)
  for c in apns fcm xiaomi huawei honor vivo oppo meizu webpush harmony; do
    T_TIERS+=("$PARK_PREFIX$lane$c")
  done
done

for n in "$PARTITIONS" "$USER_PARTITIONS" "$JOBS_PARTITIONS" "$GATEWAYS_PARTITIONS" "$DLQ_PARTITIONS" \
         "$RF" "$MIN_ISR" "$RETENTION_MS" "$DLQ_RETENTION_MS" "$CREATE_PARALLELISM"; do
  case "$n" in
    ''|*[!0-9]*|0) echo "create-topics: '$n' is not a positive integer" >&2; exit 2 ;;
  esac
done
if ! command -v "$KAFKA_TOPICS" >/dev/null 2>&1; then
  echo "create-topics: '$KAFKA_TOPICS' not found; set KAFKA_TOPICS to the kafka-topics tool" >&2
  exit 2
fi

common=(--bootstrap-server "$BOOTSTRAP")
if [ -n "${KAFKA_COMMAND_CONFIG:-}" ]; then
  common+=(--command-config "$KAFKA_COMMAND_CONFIG")
fi

# create <topic> <partitions> <config>...
create() {
  local topic="$1" partitions="$2"
  shift 2
  local configs=(--config "min.insync.replicas=$MIN_ISR")
  local c
  for c in "$@"; do
    configs+=(--config "$c")
  done
  echo "create-topics: $topic (partitions=$partitions, replication=$RF, $*)"
  "$KAFKA_TOPICS" "${common[@]}" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$RF" "${configs[@]}"
}

# partitions_of <topic>: the partition count the cluster reports
partitions_of() {
  "$KAFKA_TOPICS" "${common[@]}" --describe --topic "$1" \
    | grep -o 'PartitionCount: *[0-9]*' | head -n 1 | grep -o '[0-9]*$'
}

# keyed by user id; the detector's input, co-partitioned with push.feedback. Stamped by the
# producers (CreateTime, the default): ack deadlines run on when the platform sent each event, which
# a broker outage does not change (LogAppendTime would restamp acks held back during one)
create "$T_EVENTS"   "$USER_PARTITIONS"     "cleanup.policy=delete" "retention.ms=$RETENTION_MS" \
                                            "message.timestamp.type=CreateTime"
# keyed by user id; worker -> detector (invalid tokens); co-partitioned with im.events
create "$T_FEEDBACK" "$USER_PARTITIONS"     "cleanup.policy=delete" "retention.ms=$RETENTION_MS"
# gateway leases, keyed by gateway id: only the latest lease per gateway matters. Stamped by the
# broker (LogAppendTime), not by the gateways' clocks: when the detector rebuilds its lease store
# from this topic, a record's timestamp is when the heartbeat arrived
create "$T_GATEWAYS" "$GATEWAYS_PARTITIONS" "cleanup.policy=compact" "min.compaction.lag.ms=60000" \
                                            "delete.retention.ms=86400000" "message.timestamp.type=LogAppendTime"
# keyed by recipient user id; partitions bound the number of useful push-worker replicas
create "$T_JOBS"     "$JOBS_PARTITIONS"     "cleanup.policy=delete" "retention.ms=$RETENTION_MS"
# the bulk lane (broadcasts, campaigns): workers read it with the capacity push.jobs leaves
create "$T_JOBS_BULK" "$JOBS_PARTITIONS"    "cleanup.policy=delete" "retention.ms=$RETENTION_MS"
# broadcast commands, keyed by broadcast id; kept as long as a broadcast may live (28 days at most)
create "$T_BROADCASTS" "$BROADCASTS_PARTITIONS" "cleanup.policy=delete" "retention.ms=2419200000"
# vendors' delivery and click receipts, keyed by user id: for the platform to consume
create "$T_RECEIPTS" "$JOBS_PARTITIONS"     "cleanup.policy=delete" "retention.ms=$RETENTION_MS"
# dead letters: kept longer, so they can be inspected and replayed after an incident
create "$T_DLQ"      "$DLQ_PARTITIONS"      "cleanup.policy=delete" "retention.ms=$DLQ_RETENTION_MS"
# retry tiers and parking topics, keyed like push.jobs; a worker refuses to start while one is missing.
# 26 topics with the defaults: created CREATE_PARALLELISM at a time (each kafka-topics run is a JVM start)
running=()
for t in "${T_TIERS[@]}"; do
  create "$t"        "$JOBS_PARTITIONS"     "cleanup.policy=delete" "retention.ms=$RETENTION_MS" &
  running+=("$!")
  if [ "${#running[@]}" -ge "$CREATE_PARALLELISM" ]; then
    wait "${running[0]}"
    running=("${running[@]:1}")
  fi
done
for pid in "${running[@]}"; do
  wait "$pid"
done

# --if-not-exists does not compare an existing topic with what was asked: check what is there.
status=0
check() {
  local topic="$1" wanted="$2" actual
  actual="$(partitions_of "$topic" || true)"
  if [ -z "$actual" ]; then
    echo "create-topics: ERROR: cannot describe $topic" >&2
    status=1
  elif [ "$actual" != "$wanted" ]; then
    echo "create-topics: WARNING: $topic exists with $actual partitions (asked for $wanted); left as is" >&2
  fi
}
check "$T_EVENTS" "$USER_PARTITIONS"
check "$T_FEEDBACK" "$USER_PARTITIONS"
check "$T_GATEWAYS" "$GATEWAYS_PARTITIONS"
check "$T_JOBS" "$JOBS_PARTITIONS"
check "$T_JOBS_BULK" "$JOBS_PARTITIONS"
check "$T_DLQ" "$DLQ_PARTITIONS"
check "$T_RECEIPTS" "$JOBS_PARTITIONS"
check "$T_BROADCASTS" "$BROADCASTS_PARTITIONS"
for t in "${T_TIERS[@]}"; do
  check "$t" "$JOBS_PARTITIONS"
done

events_p="$(partitions_of "$T_EVENTS" || true)"
feedback_p="$(partitions_of "$T_FEEDBACK" || true)"
if [ -z "$events_p" ] || [ "$events_p" != "$feedback_p" ]; then
  echo "create-topics: ERROR: $T_EVENTS ($events_p partitions) and $T_FEEDBACK ($feedback_p partitions)" \
       "must have the same partition count (the detector joins them by user id)" >&2
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "create-topics: done; push-worker replicas must not exceed $(partitions_of "$T_JOBS") (partitions of $T_JOBS)"
fi
exit "$status"
