#!/usr/bin/env sh
# Runs the `wren` command (tools/cli/target/wren.jar), or with `bench` first the benchmark
# (tools/bench/target/wren-bench.jar), on a Java 21 or newer runtime.
#
# The default `java` may be older (Debian 12 ships 17); the tools need 21 (Pi4J 3). The launcher finds one in one
# pass without starting any JVM: the feature release is read from the `release` file of each candidate's home,
# in this order: $JAVA_HOME, the home of the first `java` on the PATH, the JDKs under /usr/lib/jvm.
#
# WREN_DRY_RUN=1 prints the java command instead of running it (tools/cli/startup-bench.py reads the java from it).
#
# On JDK 19+ the JVM keeps a class-data-sharing archive per subcommand in ${XDG_CACHE_HOME:-~/.cache}/wren/, made
# on the first run (-XX:+AutoCreateSharedArchive) and made again for a rebuilt jar or another JDK (tools/README.md,
# "Start-up"). WREN_CDS=off runs without it.
set -eu
# Only shell built-ins up to the exec, except readlink for a java on the PATH that is a symbolic link: each program
# the launcher starts costs a one-shot `wren pub` about a millisecond (tools/README.md, "Start-up").
case $0 in
  */*) here=${0%/*} ;;
  *) here=. ;;
esac
case $here in
  .) here=$PWD ;;
  ./*) here=$PWD/${here#./} ;;
  /*) ;;
  *) here=$PWD/$here ;;
esac
case $here in
  */.|*/..|*/./*|*/../*) here=$(cd "$here" && pwd) ;; # the jar's path must read the same on every run (CDS)
esac
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

home= # the JDK home of the first java on the PATH (symbolic links followed), or empty
path_home() {
  home=
  saved_ifs=$IFS
  IFS=:
  set -f
  for dir in $PATH; do
    if [ -x "${dir:-.}/java" ] && [ ! -d "${dir:-.}/java" ]; then
      home=${dir:-.}/java
      break
    fi
  done
  set +f
  IFS=$saved_ifs
  if [ -L "$home" ]; then
    home=$(readlink -f "$home" 2>/dev/null || echo "$home")
  fi
  home=${home%/bin/java}
}

java=
for home in ${JAVA_HOME:+"$JAVA_HOME"} :path: /usr/lib/jvm/*; do
  if [ "$home" = :path: ]; then
    path_home
    [ -n "$home" ] || continue
  fi
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
    pub|sub|rr|demo) ;;
    *) sub=other ;;
  esac
  cds=
  cache="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/wren"
  if [ "$feature" -ge 19 ] && [ "${WREN_CDS:-on}" != off ] \
      && { [ -d "$cache" ] || mkdir -p "$cache" 2>/dev/null; } && [ -w "$cache" ]; then
    # One archive per subcommand, checkout (its path, every / as _) and JDK version: the JVM refuses an archive
    # made for another class path. It makes the archive again for another JDK, not for a rebuilt jar, so the
    # archive of an older jar is removed here and the JVM makes a new one when this run ends.
    key=
    rest=$here
    while :; do
      case $rest in
        */*) key=$key${rest%%/*}_; rest=${rest#*/} ;;
        *) key=$key$rest; break ;;
      esac
    done
    if [ ${#key} -gt 180 ]; then
      key=_$(printf '%s' "$here" | cksum | cut -d' ' -f1)
    fi
    archive="$cache/$sub$key-jdk$version.jsa"
    if [ -e "$archive" ] && [ "$jar" -nt "$archive" ]; then
      rm -f "$archive" 2>/dev/null || true
    fi
    cds="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
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
