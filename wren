#!/usr/bin/env sh
# Runs the `wren` command (tools/target/wren.jar) on a Java 21 or newer runtime.
# The default `java` may be older (Debian 12 ships 17); the tools need 21 (Pi4J 3), so this looks for one:
# $JAVA_HOME first, then `java` on the PATH, then the JDKs installed under /usr/lib/jvm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/tools/target/wren.jar"
if [ ! -f "$jar" ]; then
  echo "wren: $jar is missing; build it first: mvn -B -q -DskipTests package" >&2
  exit 1
fi

feature() { # prints the feature release of the java binary $1, e.g. 21, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  version=$(feature "$candidate")
  if [ -n "$version" ] && [ "$version" -ge 21 ]; then
    exec "$candidate" -jar "$jar" "$@"
  fi
done
echo "wren: needs a Java 21 or newer runtime; none found in JAVA_HOME, on the PATH or under /usr/lib/jvm" >&2
exit 1
