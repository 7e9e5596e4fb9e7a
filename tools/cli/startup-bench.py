#!/usr/bin/env python3
"""Start-up of a one-shot `./wren pub -t t -m x` against a Java hello-world on the same JVM and mosquitto_pub.

Issue 20's goal: wren pub <= 2x hello-world's wall time, peak RSS <= hello-world + 8 MiB.

    tools/cli/startup-bench.py [-n RUNS] [-e 'label=command']...

Starts its own mosquitto on a free loopback port, compiles a hello-world with the javac of the JDK that ./wren
picks (WREN_DRY_RUN=1 ./wren prints its command), then runs every command RUNS times (default 11), interleaved:
one run of each per round, the order rotated each round, so a change in the machine's load hits all alike. Each
run is one `sh -c 'exec COMMAND'` child: wall time around it, CPU time (user + system) from its rusage (wait4),
peak RSS from /usr/bin/time (else from the rusage, which then counts this script's own ~10 MiB as a floor). CPU time moves less than wall time when other processes share the cores. `./wren` runs with its
class-data-sharing archive in a fresh XDG_CACHE_HOME, made by one untimed run first (its time is printed: what a
user's very first run costs). -e adds a command of your own (its label has no "="); $PORT in it is the broker's port, $JAVA the JDK's
java, $XDG_CACHE_HOME the fresh cache directory. Needs python3, mosquitto and mosquitto_pub.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WREN = os.path.join(ROOT, "wren")
TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mosquitto(work):
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    for _ in range(5):
        port = free_port()
        conf = os.path.join(work, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
        broker = subprocess.Popen([mosquitto, "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and broker.poll() is None:
            if subprocess.run(["mosquitto_pub", "-p", str(port), "-t", "t", "-m", "x"],
                              stderr=subprocess.DEVNULL).returncode == 0:
                return broker, port
            time.sleep(0.1)
        broker.kill()
        broker.wait()
    sys.exit("could not start mosquitto")


def timed(command, env):
    """One run: (wall ms, CPU ms, peak RSS KiB)."""
    argv = ["sh", "-c", "exec " + command + " >/dev/null 2>" + env["BENCH_ERR"]]
    if TIME:
        # a spawned child's peak RSS counts this Python process's pages from before its exec; time's are few
        argv = [TIME, "-f", "%M", "-o", env["BENCH_RSS"]] + argv
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0] if TIME else "/bin/sh", argv, env)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - start) * 1000
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        with open(env["BENCH_ERR"], errors="replace") as f:
            sys.exit(f"{command} failed with {code}: {f.read()}")
    rss = usage.ru_maxrss
    if TIME:
        with open(env["BENCH_RSS"]) as f:
            rss = int(f.read().split()[-1])
    return wall, (usage.ru_utime + usage.ru_stime) * 1000, rss


def stats(values, fmt):
    return f"{fmt(statistics.median(values))} [{fmt(min(values))}-{fmt(max(values))}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=11, help="runs of each command (default 11)")
    parser.add_argument("-e", action="append", default=[], metavar="LABEL=COMMAND", help="another command")
    options = parser.parse_args()

    work = tempfile.mkdtemp()
    broker = None
    try:
        dry = subprocess.run([WREN, "pub"], env=dict(os.environ, WREN_DRY_RUN="1"), check=True,
                             capture_output=True, text=True).stdout.splitlines()
        java = dry[0]
        with open(os.path.join(work, "Hello.java"), "w") as f:
            f.write('public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n')
        subprocess.run([os.path.join(os.path.dirname(java), "javac"), "-d", work, os.path.join(work, "Hello.java")],
                       check=True)
        broker, port = start_mosquitto(work)
        env = dict(os.environ, PORT=str(port), JAVA=java, XDG_CACHE_HOME=os.path.join(work, "cache"),
                   BENCH_ERR=os.path.join(work, "err"), BENCH_RSS=os.path.join(work, "rss"))
        rows = [("java Hello (hello-world)", f'"$JAVA" -cp {work} Hello'),
                ("mosquitto_pub -t t -m x", "mosquitto_pub -p $PORT -t t -m x"),
                ("./wren pub -t t -m x", f"{WREN} pub -p $PORT -t t -m x"),
                ("WREN_CDS=off ./wren pub -t t -m x", f"env WREN_CDS=off {WREN} pub -p $PORT -t t -m x")]
        for e in options.e:
            label, _, command = e.partition("=")
            rows.append((label, command))

        first = timed(rows[2][1], env)
        print(f"first ./wren pub (makes the CDS archive): {first[0]:.0f} ms wall, {first[1]:.0f} ms CPU")
        for _, command in rows:  # the page cache and every other archive, untimed
            timed(command, env)
        results = [[] for _ in rows]
        for round_ in range(options.n):
            for k in range(len(rows)):
                i = (k + round_) % len(rows)
                results[i].append(timed(rows[i][1], env))

        hello = results[0]
        hello_wall = statistics.median(r[0] for r in hello)
        hello_cpu = statistics.median(r[1] for r in hello)
        hello_rss = statistics.median(r[2] for r in hello)
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
        if not TIME:
            print("no /usr/bin/time: peak RSS below this script's own (~10 MiB) reads as the script's")
        print(f"{version}; {os.cpu_count()} cores, load average {load} at the end")
        print(f"{options.n} interleaved runs each, median [min-max]; ÷ and − against the hello-world's medians")
        header = ("what", "wall [ms]", "÷ hello", "CPU [ms]", "÷ hello", "peak RSS [MiB]", "− hello [MiB]")
        widths = (36, 18, 7, 18, 7, 20, 13)
        line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
        print(line(header))
        print(line(["---"] * len(header)))
        for (label, _), r in zip(rows, results):
            wall = [x[0] for x in r]
            cpu = [x[1] for x in r]
            rss = [x[2] / 1024 for x in r]
            print(line((label, stats(wall, lambda v: f"{v:.0f}"), f"{statistics.median(wall) / hello_wall:.2f}",
                        stats(cpu, lambda v: f"{v:.0f}"), f"{statistics.median(cpu) / hello_cpu:.2f}",
                        stats(rss, lambda v: f"{v:.1f}"), f"{(statistics.median(rss) - hello_rss / 1024):+.1f}")))
    finally:
        if broker is not None:
            broker.kill()
            broker.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
