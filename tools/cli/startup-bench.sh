#!/usr/bin/env bash
# Start-up of a one-shot `./wren pub -t t -m x` against a Java hello-world on the same JVM and mosquitto_pub
# (issue 20's goal: wren pub <= 2x hello-world's wall time, peak RSS <= hello-world + 8 MiB).
#
#   tools/cli/startup-bench.sh [-n RUNS] [-e 'label=command'...]
#
# Starts its own mosquitto on a free loopback port, compiles a hello-world with the javac of the JDK that ./wren
# picks (WREN_DRY_RUN=1 ./wren prints it), then runs every command RUNS times (default 11), interleaved: one run of
# each per round, the order rotated each round, so a change in the machine's load hits all alike. Wall time is
# taken around each process; peak RSS is its VmHWM (/usr/bin/time -f %M, or /proc/<pid>/status polled where
# `time` is not installed). `./wren` runs with a class-data-sharing archive in a fresh XDG_CACHE_HOME made by one
# untimed run first (its time is printed: what a user's very first run costs). -e adds a command of your own;
# "$PORT" in it is the broker's port, "$JAVA" the JDK's java. Needs bash, mosquitto and mosquitto_pub.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
runs=11
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    -e) extra+=("$2"); shift 2 ;;
    *) echo "usage: $0 [-n RUNS] [-e 'label=command']..." >&2; exit 1 ;;
  esac
done

work=$(mktemp -d)
broker=
cleanup() {
  [ -n "$broker" ] && kill "$broker" 2>/dev/null && wait "$broker" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

JAVA=$(WREN_DRY_RUN=1 "$here/wren" pub | head -n 1)
export JAVA
javac="$(dirname "$JAVA")/javac"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$work/Hello.java"
"$javac" -d "$work" "$work/Hello.java"

mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
for attempt in 1 2 3 4 5; do
  PORT=$((20000 + RANDOM % 40000))
  printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$PORT" > "$work/mosquitto.conf"
  "$mosquitto" -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
  broker=$!
  for _ in $(seq 50); do
    if mosquitto_pub -p "$PORT" -t t -m x 2>/dev/null; then break 2; fi
    kill -0 "$broker" 2>/dev/null || break
    sleep 0.1
  done
  kill "$broker" 2>/dev/null || true
  broker=
done
[ -n "$broker" ] || { echo "could not start mosquitto: $(cat "$work/mosquitto.log")" >&2; exit 1; }
export PORT
export XDG_CACHE_HOME="$work/cache"

labels=("java Hello (hello-world)" "mosquitto_pub -t t -m x" "./wren pub -t t -m x" "WREN_CDS=off ./wren pub -t t -m x")
commands=("\"\$JAVA\" -cp $work Hello" "mosquitto_pub -p \$PORT -t t -m x" "$here/wren pub -p \$PORT -t t -m x"
  "WREN_CDS=off $here/wren pub -p \$PORT -t t -m x")
for e in ${extra[@]+"${extra[@]}"}; do
  labels+=("${e%%=*}")
  commands+=("${e#*=}")
done
count=${#labels[@]}

# run INDEX: runs command INDEX once; appends "wall_ms rss_kib" to $work/INDEX; fails the bench if it fails
run() {
  local start end rss status=0
  start=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$work/rss" bash -c "${commands[$1]}" > "$work/out" 2> "$work/err" || status=$?
    end=$(date +%s%N)
    rss=$(tail -n 1 "$work/rss")
  else
    bash -c "exec ${commands[$1]}" > "$work/out" 2> "$work/err" &
    local pid=$! hwm=0 v
    while v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$v" ]; do
      hwm=$v
      sleep 0.002
    done
    wait "$pid" || status=$?
    end=$(date +%s%N)
    rss=$hwm
  fi
  if [ "$status" -ne 0 ]; then
    echo "${labels[$1]} failed with $status: $(cat "$work/err")" >&2
    exit 1
  fi
  echo "$(( (end - start) / 1000000 )) $rss" >> "$work/$1"
}

run 2
echo "first ./wren pub (makes the CDS archive): $(cut -d' ' -f1 "$work/2") ms"
rm "$work/2"
for ((i = 0; i < count; i++)); do run "$i"; rm "$work/$i"; done # warm the page cache, untimed

for ((round = 0; round < runs; round++)); do
  for ((k = 0; k < count; k++)); do
    run $(( (k + round) % count ))
  done
done

# stats FILE COLUMN FORMAT DIVISOR: "median [min-max]" of a column of numbers, each divided and printed with FORMAT
stats() {
  sort -n -k "$2" "$1" | awk -v c="$2" -v f="$3" -v d="$4" '{ v[NR] = $c / d } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf f " [" f "-" f "]", m, v[1], v[NR] }'
}
median() { sort -n -k "$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

hello_wall=$(median "$work/0" 1)
hello_rss=$(median "$work/0" 2)
echo "$("$JAVA" -version 2>&1 | head -n 1); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$runs interleaved runs each, median [min-max]; ratio and difference against the hello-world's medians"
printf '| %-40s | %-22s | %-7s | %-26s | %-10s |\n' what "wall [ms]" "÷ hello" "peak RSS [MiB]" "− hello [MiB]"
printf '| %-40s | %-22s | %-7s | %-26s | %-10s |\n' --- --- --- --- ---
for ((i = 0; i < count; i++)); do
  wall=$(median "$work/$i" 1)
  rss=$(median "$work/$i" 2)
  printf '| %-40s | %-22s | %-7s | %-26s | %-10s |\n' "${labels[$i]}" "$(stats "$work/$i" 1 %d 1)" \
    "$(awk -v a="$wall" -v b="$hello_wall" 'BEGIN { printf "%.2f", a / b }')" "$(stats "$work/$i" 2 %.1f 1024)" \
    "$(awk -v a="$rss" -v b="$hello_rss" 'BEGIN { printf "%+.1f", (a - b) / 1024 }')"
done
