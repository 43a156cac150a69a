# Shared by the scripts: find a JDK >= 21 and export JAVA_HOME (the machine default may be 17).
# shellcheck shell=bash

java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do [ -x "$d/bin/javac" ] && candidates+=("$d"); done
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local best="" best_major=0
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    local m; m=$(java_major "$c")
    if [ -n "$m" ] && [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$c"; best_major=$m; fi
  done
  if [ -z "$best" ]; then
    echo "impush needs a JDK 21 or newer (found none: set JAVA_HOME, or install e.g. openjdk-21-jdk / temurin-21)." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Maven: the one on PATH, else the wrapper (./mvnw fetches Maven 3.9 from Maven Central once, into ~/.m2/wrapper).
maven() {
  if command -v mvn >/dev/null 2>&1; then mvn "$@"; else ./mvnw "$@"; fi
}

require_redis() {
  if ! command -v redis-server >/dev/null 2>&1 && [ -z "${IMPUSH_REDIS_SERVER:-}" ]; then
    echo "redis-server not found on PATH (Debian/Ubuntu: sudo apt-get install redis-server; or set IMPUSH_REDIS_SERVER)." >&2
    return 1
  fi
}
