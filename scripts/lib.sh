# Shared by the scripts: find a JDK >= 21 and export JAVA_HOME (the machine default may be 17).
# shellcheck shell=bash

java_major() {
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

# The package that gives a JDK >= 21 on this system's package manager, if one does (empty: none).
jdk_package() {
  if command -v apt-cache >/dev/null 2>&1; then
    for p in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if [ -n "$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" { print $2 }')" ]; then echo "apt-get:$p"; return; fi
    done
  elif command -v dnf >/dev/null 2>&1; then echo "dnf:java-21-openjdk-devel"
  elif command -v apk >/dev/null 2>&1; then echo "apk:openjdk21-jdk"
  fi
}

# How to install a JDK >= 21 here, exactly.
jdk_install_hint() {
  local pkg; pkg=$(jdk_package)
  case "$pkg" in
    apt-get:*) echo "Install one:  sudo apt-get install -y ${pkg#apt-get:}" ;;
    dnf:*) echo "Install one:  sudo dnf install -y ${pkg#dnf:}" ;;
    apk:*) echo "Install one:  sudo apk add ${pkg#apk:}" ;;
    *)
      if [ "$(uname -s)" = Darwin ]; then
        echo "Install one:  brew install openjdk@21   (then: export JAVA_HOME=\$(brew --prefix openjdk@21))"
      elif [ -r /etc/os-release ] && grep -qiE '^ID(_LIKE)?=.*(debian|ubuntu)' /etc/os-release; then
        # Debian 12 ships JDK 17 only: Eclipse Temurin's apt repository has 21 and 25
        echo "This release packages no JDK 21 (Debian 12 has 17). Install Eclipse Temurin from its apt repository:"
        echo "  sudo apt-get install -y wget gpg apt-transport-https"
        echo "  wget -qO - https://packages.adoptium.net/artifactory/api/gpg/key/public | sudo gpg --dearmor -o /usr/share/keyrings/adoptium.gpg"
        echo "  echo \"deb [signed-by=/usr/share/keyrings/adoptium.gpg] https://packages.adoptium.net/artifactory/deb \$(. /etc/os-release; echo \$VERSION_CODENAME) main\" | sudo tee /etc/apt/sources.list.d/adoptium.list"
        echo "  sudo apt-get update && sudo apt-get install -y temurin-21-jdk"
      else
        echo "Install one from https://adoptium.net (Eclipse Temurin 21 or newer) and set JAVA_HOME to it."
      fi ;;
  esac
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
    echo "impush needs a JDK 21 or newer, and found none (JAVA_HOME, /usr/lib/jvm, javac on PATH)." >&2
    jdk_install_hint >&2
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
