#!/bin/sh
# Entrypoint of the impush image. Picks the service from the first argument or from
# IMPUSH_SERVICE, then execs the JVM (exec: the JVM is PID 1 and receives SIGTERM directly, which
# starts the graceful drain).
#
#   impush worker   | push-worker      | dev.impush.worker.PushWorkerMain
#   impush detector | offline-detector | dev.impush.detector.OfflineDetectorMain
#   impush replay   | push-replay      | dev.impush.replay.ReplayCommand (scripts/replay's commands)
#   impush <other main class in dev.impush.worker.* or dev.impush.detector.*> [args...]
#
# Extra JVM flags: IMPUSH_JAVA_OPTS (after JAVA_TOOL_OPTIONS, so they take precedence).
# Each service's jars are in $IMPUSH_LIB_DIR/<service> (default /app/lib, as the image lays them out).
set -eu

lib_root="${IMPUSH_LIB_DIR:-/app/lib}"

service="${IMPUSH_SERVICE:-}"
if [ "$#" -gt 0 ]; then
  service="$1"
  shift
fi

case "$service" in
  worker|push-worker)
    main=dev.impush.worker.PushWorkerMain; lib="$lib_root/push-worker" ;;
  detector|offline-detector)
    main=dev.impush.detector.OfflineDetectorMain; lib="$lib_root/offline-detector" ;;
  replay|push-replay)
    main=dev.impush.replay.ReplayCommand; lib="$lib_root/push-replay" ;;
  dev.impush.worker.*)
    main="$service"; lib="$lib_root/push-worker" ;;
  dev.impush.detector.*)
    main="$service"; lib="$lib_root/offline-detector" ;;
  *)
    echo "usage: impush worker|detector|replay|<main class> [args...]  (or set IMPUSH_SERVICE=worker|detector)" >&2
    exit 64 ;;
esac

# IMPUSH_JAVA_OPTS is split on spaces on purpose (several flags in one variable).
# shellcheck disable=SC2086
exec java ${IMPUSH_JAVA_OPTS:-} -cp "$lib/*" "$main" "$@"
