#!/usr/bin/env bash
# Runs the built wren-node.jar in --simulate mode against a private mosquitto for a while and prints its heap
# and resident memory, for the numbers the node issue asks for ("heap and RSS after an hour of simulated running").
#
#   sensor-samples/soak.sh [seconds=3600] [broker-restart-period-seconds=0]
#                                                  (after: mvn -pl sensor-samples -am package -DskipTests)
#
# With a restart period, mosquitto is killed (SIGKILL) and started again on the same port that often, so the run
# also goes through outages: the node must reconnect by itself and its readings wait in its journal meanwhile.
#
# JAVA selects the JVM (21 or newer; default: java on the PATH). The node runs with -Xmx16m -XX:+UseSerialGC,
# as the systemd unit runs it, publishing every second (interval 1s, deadband 0) to make the run busy.
set -euo pipefail
seconds=${1:-3600}
restart_every=${2:-0}
here=$(cd "$(dirname "$0")" && pwd)
jar="${NODE_JAR:-$here/target/wren-node.jar}"
java=${JAVA:-java}
[ -f "$jar" ] || { echo "build the jar first: mvn -pl sensor-samples -am package -DskipTests" >&2; exit 1; }

work=$(mktemp -d)
# A private copy: rebuilding target/ while the node runs would pull classes out from under the JVM.
cp "$jar" "$work/wren-node.jar"
jar="$work/wren-node.jar"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" > "$work/mosquitto.conf"
start_broker() {
  /usr/sbin/mosquitto -c "$work/mosquitto.conf" >> "$work/mosquitto.log" 2>&1 &
  broker=$!
  sleep 0.5
}
start_broker
trap 'kill "$node" "$broker" 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/node.yaml" <<YAML
node: { room: soak }
broker: { url: "tcp://127.0.0.1:$port" }
journal: { file: "$work/journal" }
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
echo "node pid $node, broker port $port, running ${seconds}s" \
  "$([ "$restart_every" -gt 0 ] && echo "with a broker SIGKILL and restart every ${restart_every}s")"
restarts=0
if [ "$restart_every" -gt 0 ]; then
  end=$((SECONDS + seconds))
  while [ $((SECONDS + restart_every)) -lt "$end" ]; do
    sleep "$restart_every"
    kill -KILL "$broker"; wait "$broker" 2>/dev/null || true
    sleep 5                                   # an outage the node has to ride out
    start_broker
    restarts=$((restarts + 1))
  done
  if [ "$end" -gt "$SECONDS" ]; then sleep $((end - SECONDS)); fi
else
  sleep "$seconds"
fi

rss_kib=$(awk '/^VmRSS/ {print $2}' /proc/$node/status)
hwm_kib=$(awk '/^VmHWM/ {print $2}' /proc/$node/status)
jcmd=$(dirname "$(readlink -f "$(command -v "$java")")")/jcmd
"$jcmd" "$node" GC.run > /dev/null
heap=$("$jcmd" "$node" GC.heap_info | tr '\n' ' ')
echo "after ${seconds}s and $restarts broker restarts: RSS ${rss_kib} KiB (peak ${hwm_kib} KiB)"
echo "connections made by the node: $(grep -c 'connected to' "$work/node.log" || true)"
echo "heap after a full GC: $heap"
kill -TERM "$node"
wait "$node" || status=$?
echo "node exit status after SIGTERM: ${status:-0}; log lines: $(wc -l < "$work/node.log")"
grep -E "WARN|ERROR" "$work/node.log" || echo "no warnings or errors logged"
echo "--- last lines of the node's log:"
tail -n 25 "$work/node.log"
