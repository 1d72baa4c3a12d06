# Shared by the scripts in bin/: finding a JDK, installing Debian packages, building Hangar.
# shellcheck shell=bash

HANGAR_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export HANGAR_HOME

# Prints the java home of a JDK >= 21: $JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
hangar_find_java() {
  local candidate version best="" best_version=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release" 2>/dev/null)
    [ -n "$version" ] || continue
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$version" -ge 21 ]; then
      echo "$candidate"; return 0
    fi
    if [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
      best=$candidate best_version=$version
    fi
  done
  if [ -z "$best" ]; then
    echo "ERROR: Hangar needs a JDK 21 or newer; none was found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "Install one (for example Temurin 25 from adoptium.net) and run: export JAVA_HOME=/path/to/jdk" >&2
    return 1
  fi
  echo "$best"
}

# Installs the Debian packages named, those missing only. Daemons are not started by the install (no init here);
# Hangar's scripts and tests start what they need themselves.
hangar_apt_install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "ERROR: these Debian packages are missing: ${missing[*]}" >&2
    echo "Run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  echo "Installing Debian packages: ${missing[*]}" >&2
  local policy=/usr/sbin/policy-rc.d created_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
  fi
  local status=0
  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >/dev/null; } || status=$?
  [ -n "$created_policy" ] && rm -f "$policy"
  if [ $status -ne 0 ]; then
    echo "ERROR: apt-get could not install ${missing[*]} (exit $status)." >&2
    return $status
  fi
}

# Builds Hangar's jars when they are missing or older than a source file (the instance image's files that the host
# backend ships count too). Maven leaves a jar whose content did not change untouched, so both are touched after a
# build: else one unchanged jar older than an edited source would rebuild everything at every call.
hangar_build_if_needed() {
  local jar="$HANGAR_HOME/hangar-server/target/hangar-server.jar" cli="$HANGAR_HOME/hangar-cli/target/hangar-cli.jar"
  local oldest=$jar
  [ -f "$cli" ] && [ "$cli" -ot "$jar" ] && oldest=$cli
  if [ -f "$jar" ] && [ -f "$cli" ] \
     && [ -z "$(find "$HANGAR_HOME" \( -path '*/src/main/*' -o -path '*/images/instance/rootfs/*' -o -name pom.xml \) \
                -newer "$oldest" -print -quit)" ]; then
    return 0
  fi
  echo "Building Hangar (first run, or sources changed)..." >&2
  (cd "$HANGAR_HOME" && ./mvnw -q -B -DskipTests -Dmaven.test.skip=true package >&2)
  touch "$jar" "$cli"
}
