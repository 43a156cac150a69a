#!/bin/sh
# Entrypoint of the impush image. Picks the service from the first argument or from
# IMPUSH_SERVICE, then execs the JVM (exec: the JVM is PID 1 and receives SIGTERM directly, which
# starts the graceful drain).
#
#   impush worker   | push-worker      | dev.impush.worker.PushWorkerMain
#   impush detector | offline-detector | dev.impush.detector.OfflineDetectorMain
#   impush replay   | push-replay      | dev.impush.replay.ReplayCommand (scripts/replay's commands)
#   impush demo     | the compose demo (image target demo): mock vendors, IM traffic and a report
#   impush <other main class in dev.impush.worker.* or dev.impush.detector.*> [args...]
#
# Extra JVM flags: IMPUSH_JAVA_OPTS (after JAVA_TOOL_OPTIONS, so they take precedence).
# IMPUSH_ENV_FILE: a file of KEY='value' lines read into the environment first (waited for up to
# IMPUSH_ENV_FILE_WAIT_S, 300 s): deploy/compose's workers take the demo's mock vendors this way.
# Each service's jars are in $IMPUSH_LIB_DIR/<service> (default /app/lib, as the image lays them out).
set -eu

lib_root="${IMPUSH_LIB_DIR:-/app/lib}"

if [ -n "${IMPUSH_ENV_FILE:-}" ]; then
  waited=0
  while [ ! -s "$IMPUSH_ENV_FILE" ]; do
    if [ "$waited" -ge "${IMPUSH_ENV_FILE_WAIT_S:-300}" ]; then
      echo "impush: $IMPUSH_ENV_FILE did not appear within ${IMPUSH_ENV_FILE_WAIT_S:-300} s" >&2
      exit 78
    fi
    sleep 1
    waited=$((waited + 1))
  done
  set -a
  # shellcheck disable=SC1090
  . "$IMPUSH_ENV_FILE"
  set +a
fi

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
  demo)
    main=dev.impush.e2e.ComposeDemo; lib="$lib_root/demo" ;;
  dev.impush.worker.*)
    main="$service"; lib="$lib_root/push-worker" ;;
  dev.impush.detector.*)
    main="$service"; lib="$lib_root/offline-detector" ;;
  *)
    echo "usage: impush worker|detector|replay|demo|<main class> [args...]  (or set IMPUSH_SERVICE=worker|detector)" >&2
    exit 64 ;;
esac

# IMPUSH_JAVA_OPTS is split on spaces on purpose (several flags in one variable).
# shellcheck disable=SC2086
exec java ${IMPUSH_JAVA_OPTS:-} -cp "$lib/*" "$main" "$@"
