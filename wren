#!/usr/bin/env sh
# Runs the `wren` command (tools/cli/target/wren.jar), or with `bench` first the benchmark
# (tools/bench/target/wren-bench.jar), on a Java 21 or newer runtime.
#
# The default `java` may be older (Debian 12 ships 17); the tools need 21 (Pi4J 3). The launcher finds one in one
# pass without starting any JVM: the feature release is read from the `release` file of each candidate's home,
# in this order: $JAVA_HOME, the home of `java` on the PATH, the JDKs under /usr/lib/jvm.
#
# WREN_DRY_RUN=1 prints the java command instead of running it (tools/cli/startup-bench.sh reads the java from it).
#
# On JDK 19+ the JVM keeps a class-data-sharing archive per subcommand in ${XDG_CACHE_HOME:-~/.cache}/wren/, made
# on the first run (-XX:+AutoCreateSharedArchive); a new jar or JDK gets a new archive (its name says which)
# (tools/README.md, "Start-up"). WREN_CDS=off runs without it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = bench ]; then
  shift
  jar="$here/tools/bench/target/wren-bench.jar"
  sub=bench
else
  jar="$here/tools/cli/target/wren.jar"
  sub=${1:-help}
fi
if [ ! -f "$jar" ]; then
  echo "wren: $jar is missing; build it first: mvn -B -q -DskipTests package" >&2
  exit 1
fi

feature= # the feature release of the JDK home $1 (21 for JAVA_VERSION="21.0.2"), from its release file
version= # its whole version (21.0.2)
feature_of() {
  feature=
  [ -x "$1/bin/java" ] && [ -r "$1/release" ] || return 0
  while IFS= read -r line; do
    case $line in
      JAVA_VERSION=*)
        version=${line#JAVA_VERSION=\"}
        version=${version%\"}
        feature=${version%%[!0-9]*}
        return 0 ;;
    esac
  done < "$1/release"
}

on_path=$(command -v java || true)
if [ -n "$on_path" ]; then
  on_path=$(readlink -f "$on_path" 2>/dev/null || echo "$on_path")
  on_path=${on_path%/bin/java}
fi
java=
for home in ${JAVA_HOME:+"$JAVA_HOME"} ${on_path:+"$on_path"} /usr/lib/jvm/*; do
  feature_of "$home"
  if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then
    java="$home/bin/java"
    break
  fi
done
if [ -z "$java" ]; then
  echo "wren: needs a Java 21 or newer runtime; none found in JAVA_HOME, on the PATH or under /usr/lib/jvm" >&2
  exit 1
fi

if [ "$sub" = bench ]; then
  set -- "$java" -jar "$jar" "$@" # measured as it is: no start-up flags
else
  case $sub in
    pub|sub|demo) ;;
    *) sub=other ;;
  esac
  cds=
  if [ "$feature" -ge 19 ] && [ "${WREN_CDS:-on}" != off ]; then
    cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/wren"
    if mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; then
      # One archive per checkout, JDK and subcommand, named after the jar's size and time too: the JVM refuses an
      # archive made for another jar (class path mismatch) and, unlike for another JDK, does not make it again, so
      # a rebuilt jar gets a new archive and the old one is removed.
      key=$(printf '%s %s' "$here" "$home" | cksum | cut -d' ' -f1)
      stamp=$(stat -L -c '%s-%Y' "$jar" 2>/dev/null || cksum < "$jar" | cut -d' ' -f1)
      archive="$cache/$sub-$key-jdk$version-$stamp.jsa"
      [ -e "$archive" ] || rm -f "$cache/$sub-$key-"*.jsa
      cds="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
    fi
  fi
  # For short-lived commands with small heaps (tools/README.md, "Start-up", measured each): Serial GC, one collector
  # thread instead of G1's pool; C1 only; compile thresholds x10, so a one-shot run interprets rather than compiles
  # code it runs a few hundred times; no hsperfdata file (jps does not list the process; jcmd still attaches).
  # shellcheck disable=SC2086 # $cds is a list of options
  set -- "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10 -XX:-UsePerfData $cds \
    -jar "$jar" "$@"
fi
# WREN_DRY_RUN=1 prints the command, one argument a line (the java first), instead of running it.
if [ -n "${WREN_DRY_RUN:-}" ]; then
  printf '%s\n' "$@"
  exit 0
fi
exec "$@"
