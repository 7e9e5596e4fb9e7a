#!/usr/bin/env bash
# Runs the built wren-node.jar in --simulate mode against a private mosquitto for a while and prints its heap
# and resident memory, for the numbers the node issue asks for ("heap and RSS after an hour of simulated running").
#
#   sensor-samples/soak.sh [seconds=3600]        (after: mvn -pl sensor-samples -am package -DskipTests)
#
# JAVA selects the JVM (21 or newer; default: java on the PATH). The node runs with -Xmx16m -XX:+UseSerialGC,
# as the systemd unit runs it, publishing every second (interval 1s, deadband 0) to make the run busy.
set -euo pipefail
seconds=${1:-3600}
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/wren-node.jar"
java=${JAVA:-java}
[ -f "$jar" ] || { echo "build the jar first: mvn -pl sensor-samples -am package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
# A private copy: rebuilding target/ while the node runs would pull classes out from under the JVM.
cp "$jar" "$work/wren-node.jar"
jar="$work/wren-node.jar"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" > "$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker=$!
trap 'kill "$node" "$broker" 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.5

cat > "$work/node.yaml" <<YAML
node: { room: soak }
broker: { url: "tcp://127.0.0.1:$port" }
sensors:
  - type: bme280
    interval: 1s
    heartbeat: 10s
    readings: { temperature: { deadband: 0 }, humidity: { deadband: 0 }, pressure: { deadband: 0 } }
inputs:
  - { name: motion, pin: 27, device_class: motion }
relays:
  - { name: lights, pin: 17 }
YAML

"$java" -Xmx16m -XX:+UseSerialGC -jar "$jar" --config "$work/node.yaml" --simulate > "$work/node.log" 2>&1 &
node=$!
echo "node pid $node, broker port $port, running ${seconds}s"
sleep "$seconds"

rss_kib=$(awk '/^VmRSS/ {print $2}' /proc/$node/status)
hwm_kib=$(awk '/^VmHWM/ {print $2}' /proc/$node/status)
jcmd=$(dirname "$(readlink -f "$(command -v "$java")")")/jcmd
"$jcmd" "$node" GC.run > /dev/null
heap=$("$jcmd" "$node" GC.heap_info | tr '\n' ' ')
echo "after ${seconds}s: RSS ${rss_kib} KiB (peak ${hwm_kib} KiB)"
echo "heap after a full GC: $heap"
kill -TERM "$node"
wait "$node" || status=$?
echo "node exit status after SIGTERM: ${status:-0}; log lines: $(wc -l < "$work/node.log")"
grep -E "WARN|ERROR" "$work/node.log" || echo "no warnings or errors logged"
echo "--- last lines of the node's log:"
tail -n 25 "$work/node.log"
