#!/usr/bin/env python3
"""The resolver bench's driver: run by resolver-bench.sh inside `unshare -n`, never directly.

For each size: generate the zone (gen-zone.py), serve it with knotd (one UDP worker) on 127.0.0.1:53
(port 53 because adnshost cannot be pointed at another port; the namespace is private), then run every
tool on the same names RUNS times and keep the median wall time with its CPU seconds (user + system of
the process and its threads), peak RSS and names answered. Prints a markdown table and writes JSON.

dnsperf, egressmap and the C ceiling take turns, one run each per round, and egressmap's ratio to the
ceiling is the median of each round's ratio: on a shared machine the speed drifts by 10-20% within a
minute, and a ratio of two medians taken a minute apart measured that drift as much as egressmap. The
pipeline's commands take turns the same way.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The tools that take turns, round by round.
INTERLEAVED = ("dnsperf", "egressmap", "ceiling")
PORT = 53
SERVER = "127.0.0.1"

KNOT_CONF = """server:
    rundir: "{dir}"
    listen: 127.0.0.1@{port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "{dir}"
log:
  - target: "{dir}/knot.log"
    any: warning
template:
  - id: default
    storage: "{dir}"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.test
"""


def log(message):
    sys.stderr.write("resolver-bench: %s\n" % message)
    sys.stderr.flush()


SERVER_PID = None  # knotd's, while it runs: run_tool reports the server's CPU seconds beside the tool's


def server_cpu():
    """knotd's user + system CPU seconds so far (0 when it does not run)."""
    if SERVER_PID is None:
        return 0.0
    with open("/proc/%d/stat" % SERVER_PID) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_tool(argv, stdout_path=None, stdin_path=None):
    """Runs argv under GNU time; returns its wall time, CPU seconds (user + system, threads included),
    the server's CPU seconds meanwhile, peak RSS, status, stdout and stderr. (Through time, not wait4
    here: a child forked from this Python process would report Python's resident size as its peak.)"""
    out = open(stdout_path, "w") if stdout_path else subprocess.PIPE
    stdin = open(stdin_path) if stdin_path else subprocess.DEVNULL
    timing = os.path.join(os.environ.get("TMPDIR", "/tmp"), "resolver-bench-time.%d" % os.getpid())
    try:
        served = server_cpu()
        start = time.monotonic()
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%U %S %M", "-o", timing] + argv, stdout=out, stdin=stdin,
                                stderr=subprocess.PIPE, text=True)
        captured, errors = proc.communicate()
        wall = time.monotonic() - start
        served = server_cpu() - served
    finally:
        if stdout_path:
            out.close()
        if stdin_path:
            stdin.close()
    with open(timing) as source:
        fields = source.read().split()[-3:]
    os.unlink(timing)
    user, system, rss = float(fields[0]), float(fields[1]), int(fields[2])
    if proc.returncode != 0:
        log("%s exited %s: %s" % (os.path.basename(argv[0]), proc.returncode, errors.strip()[-400:]))
    return {"wall": wall, "cpu": user + system, "server_cpu": served, "rss_mib": rss / 1024, "status": proc.returncode,
            "stdout": captured or "", "stderr": errors}


def count_egressmap(path):
    answered = timeouts = 0
    with open(path) as lines:
        for line in lines:
            if '"outcome":"ok"' in line[:200] or '"outcome":"nodata"' in line[:200]:
                answered += 1
            timeouts += line.count('"outcome":"timeout"')
    return answered, timeouts


def count_table(path):
    """`resolve`'s table: a row per name, type and server; names with an ok or nodata row answered."""
    answered, timeouts = set(), 0
    with open(path) as rows:
        next(rows, None)  # the header
        for row in rows:
            cells = row.split(None, 4)
            if len(cells) >= 4:
                if cells[3] in ("ok", "nodata"):
                    answered.add(cells[0])
                timeouts += cells[3] == "timeout"
    return len(answered), timeouts


def count_peer(result):
    found = dict(re.findall(r"^(answered|timeouts) (\d+)$", result["stdout"], re.M))
    return int(found.get("answered", -1)), int(found.get("timeouts", -1))


def count_adns(path):
    """adnshost -Fa: a header line per query `ID NRRS STATUS ...`; names with at least one address answered."""
    answered = timeouts = 0
    with open(path) as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 4 and parts[0].isdigit() and parts[1].isdigit():
                if parts[2] == "ok" and int(parts[1]) > 0:
                    answered += 1
                elif "timeout" in line:
                    timeouts += 1
    return answered, timeouts


def start_knot(work, n):
    zone_dir = os.path.join(work, "zone-%d" % n)
    if not os.path.exists(os.path.join(zone_dir, "names.txt")):
        os.makedirs(zone_dir, exist_ok=True)
        log("generating %d names" % n)
        subprocess.run([sys.executable, os.path.join(HERE, "gen-zone.py"), str(n), zone_dir], check=True)
    knot_dir = os.path.join(work, "knot")
    shutil.rmtree(knot_dir, ignore_errors=True)
    os.makedirs(knot_dir)
    shutil.copy(os.path.join(zone_dir, "bench.test.zone"), knot_dir)
    with open(os.path.join(knot_dir, "knot.conf"), "w") as conf:
        conf.write(KNOT_CONF.format(dir=knot_dir, port=PORT))
    global SERVER_PID
    knot = subprocess.Popen(["knotd", "-c", os.path.join(knot_dir, "knot.conf")], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    SERVER_PID = knot.pid
    last = "n%07d.bench.test" % (n - 1)
    for _ in range(1200):
        probe = subprocess.run(["kdig", "@%s" % SERVER, "-p", str(PORT), "+timeout=1", "+retry=0", last, "A"],
                               capture_output=True, text=True)
        if "status: NOERROR" in probe.stdout:
            return knot, zone_dir
        if knot.poll() is not None:
            break
        time.sleep(0.1)
    knot.kill()
    sys.exit("resolver-bench: knotd did not serve the zone (see %s/knot.log)" % knot_dir)


def stop_knot(knot):
    global SERVER_PID
    SERVER_PID = None
    knot.terminate()
    try:
        knot.wait(10)
    except subprocess.TimeoutExpired:
        knot.kill()
        knot.wait()


def tools(args, zone_dir, out_dir, n):
    """(key, label, window, thunk) per tool; each thunk runs once and returns a result dict with answered."""
    names = os.path.join(zone_dir, "names.txt")
    queries = os.path.join(zone_dir, "queries.txt")
    server = "%s:%d" % (SERVER, PORT)

    def dnsperf():
        r = run_tool(["dnsperf", "-s", SERVER, "-p", str(PORT), "-d", queries, "-n", "1", "-c", "1",
                      "-q", str(args.dnsperf_window), "-t", "2"])
        completed = re.search(r"Queries completed:\s+(\d+)", r["stdout"])
        lost = re.search(r"Queries lost:\s+(\d+)", r["stdout"])
        qps = re.search(r"Queries per second:\s+([\d.]+)", r["stdout"])
        runtime = re.search(r"Run time \(s\):\s+([\d.]+)", r["stdout"])
        r["answered"] = int(completed.group(1)) // 2 if completed else -1
        r["timeouts"] = int(lost.group(1)) if lost else -1
        r["qps"] = float(qps.group(1)) if qps else float("nan")
        if runtime:
            r["wall"] = float(runtime.group(1))  # without dnsperf's own start-up (reading 2N queries)
        return r

    def egressmap():
        path = os.path.join(out_dir, "egressmap.jsonl")
        r = run_tool([args.binary, "resolve", "--input", names, "--server", server, "--json"], stdout_path=path)
        r["answered"], r["timeouts"] = count_egressmap(path)
        return r

    def egressmap_table():
        path = os.path.join(out_dir, "egressmap-table.txt")
        r = run_tool([args.binary, "resolve", "--input", names, "--server", server], stdout_path=path)
        r["answered"], r["timeouts"] = count_table(path)
        return r

    def ceiling():
        r = run_tool([args.ceiling, SERVER, str(PORT), str(args.ceiling_window), names,
                      os.path.join(out_dir, "ceiling.txt")])
        r["answered"], r["timeouts"] = count_peer(r)
        return r

    def adns():
        path = os.path.join(out_dir, "adns.txt")
        r = run_tool(["adnshost", "--asynch", "--pipe", "--fmt-asynch", "-Vq", "--config",
                      "nameserver %s" % SERVER, "--type", "addr"], stdout_path=path, stdin_path=names)
        r["answered"], r["timeouts"] = count_adns(path)
        return r

    def python_peer(script, window):
        def run():
            r = run_tool([sys.executable, os.path.join(HERE, script), SERVER, str(PORT), str(window), names,
                          os.path.join(out_dir, script + ".txt")])
            r["answered"], r["timeouts"] = count_peer(r)
            return r
        return run

    chosen = [
        ("dnsperf", "dnsperf (server limit)", args.dnsperf_window, dnsperf),
        ("egressmap", "egressmap resolve", None, egressmap),
        ("egressmap-table", "egressmap resolve, table (default output)", None, egressmap_table),
        ("ceiling", "c-ares 1.18.1 C ceiling", args.ceiling_window, ceiling),
        ("adnshost", "adnshost --asynch", None, adns),
        ("pycares", "pycares %s" % pycares_version(), args.pycares_window,
         python_peer("peer-pycares.py", args.pycares_window)),
        ("dnspython", "dnspython %s" % dnspython_version(), args.dnspython_window,
         python_peer("peer-dnspython.py", args.dnspython_window)),
    ]
    return [tool for tool in chosen if tool[0] in args.tools and
            not (n > args.python_max and tool[0] in ("pycares", "adnshost", "egressmap-table")) and
            not (n > args.dnspython_max and tool[0] == "dnspython")]


def pycares_version():
    try:
        import pycares
        return pycares.__version__
    except ImportError:
        return "?"


def dnspython_version():
    try:
        import dns.version
        return dns.version.version
    except ImportError:
        return "?"


def sweep(args, zone_dir, out_dir):
    """The best window of each scripting peer, from one run each on the zone's first 2,000 names."""
    names = os.path.join(out_dir, "sweep-names.txt")
    with open(os.path.join(zone_dir, "names.txt")) as source, open(names, "w") as target:
        target.writelines(line for _, line in zip(range(2000), source))
    for key, script in (("pycares", "peer-pycares.py"), ("dnspython", "peer-dnspython.py")):
        if key not in args.tools or getattr(args, key + "_window"):
            continue
        timings = {}
        for window in (20, 50, 100, 200):
            r = run_tool([sys.executable, os.path.join(HERE, script), SERVER, str(PORT), str(window), names,
                          os.path.join(out_dir, "sweep.txt")])
            answered, timeouts = count_peer(r)
            timings[window] = r["wall"] if timeouts == 0 else float("inf")
            log("%s window %d: %.2f s, %d timeouts" % (key, window, r["wall"], timeouts))
        best = min(timings, key=timings.get)
        setattr(args, key + "_window", best)
        log("%s: best window %d" % (key, best))


def pipeline_overhead(args, zone_dir, out_dir):
    """`egressmap run` of a manifest of every name over 3 rounds beside `resolve --rounds 3`: a first run into
    an empty folder, and a run into the folder of one before it (what a scheduled run does every time: it reads
    the previous snapshot for the diff and adds to the history)."""
    names = os.path.join(zone_dir, "names.txt")
    manifest = os.path.join(out_dir, "manifest.yaml")
    with open(names) as source, open(manifest, "w") as target:
        target.write("manifest: 1\nname: bench\nendpoints:\n")
        for line in source:
            target.write("  - host: %s\n    ports: [443]\n" % line.strip())
    server = "%s:%d" % (SERVER, PORT)
    run_out = os.path.join(out_dir, "run-out")

    def run_argv():
        return [args.binary, "run", "--manifest", manifest, "--server", server, "--rounds", "3", "--round-interval",
                "0", "--no-probe", "--quiet", "--out", run_out]

    def first_run():
        fresh(run_out)
        return run_argv()

    def after_one_run():
        run_tool(first_run(), stdout_path=os.path.join(out_dir, "pipeline.out"))  # not measured
        return run_argv()

    commands = (
        ("resolve --rounds 3", lambda: [args.binary, "resolve", "--input", names, "--server", server, "--json",
                                        "--rounds", "3"]),
        ("run --rounds 3 --no-probe", first_run),
        ("the same run again, into the first one's folder", after_one_run),
    )
    results = {key: [] for key, _ in commands}
    for index in range(args.runs):  # in turns: see the module's note
        for key, argv_for in commands:
            results[key].append(run_tool(argv_for(), stdout_path=os.path.join(out_dir, "pipeline.out")))
            log("pipeline %s, run %d: %.2f s wall" % (key, index + 1, results[key][-1]["wall"]))
    base = results[commands[0][0]]
    rows = []
    for key, _ in commands:
        rows.append(dict(median_of(results[key]), command=key,
                         ratio=statistics.median(r["wall"] / b["wall"] for r, b in zip(results[key], base))))
    steps = run_steps(args, run_argv, run_out, out_dir)
    return rows, steps, rerender(args, run_out, out_dir)


FORMATS = ("plain", "json", "csv", "nft", "ipset", "iptables", "ip6tables", "pf", "cisco-asa", "mikrotik",
           "aws-prefix-list")


def rerender(args, run_out, out_dir):
    """What reads the run's snapshot afterwards: `emit` of each format from latest.json, and `diff` of the
    folder's two newest snapshots. Median wall and CPU of args.runs runs each."""
    latest = os.path.join(run_out, "latest.json")
    snapshots = sorted(os.listdir(os.path.join(run_out, "snapshots")))[-2:]
    commands = [("emit --format %s" % name, [args.binary, "emit", "--snapshot", latest, "--format", name, "--out",
                                              os.path.join(out_dir, "emit-out")]) for name in FORMATS]
    commands.append(("diff (the last two runs)", [args.binary, "diff", "--out", run_out] + [
        name[:-len(".json")] for name in snapshots]))
    rows = []
    for label, argv in commands:
        results = []
        for _ in range(args.runs):
            fresh(os.path.join(out_dir, "emit-out"))
            results.append(run_tool(argv, stdout_path=os.path.join(out_dir, "rerender.out")))
            if results[-1]["status"] not in (0, 1):  # diff: 1 is "different"
                sys.exit("resolver-bench: %s failed: %s" % (label, results[-1]["stderr"][-400:]))
        rows.append(dict(median_of(results), command=label))
        log("%s: %.2f s wall" % (label, rows[-1]["wall"]))
    return rows


STEPS_MARKER = "steps (ms from the start): "


def run_steps(args, run_argv, run_out, out_dir):
    """The steps of a first run and of a run into its folder, as `run --verbose` prints them on stderr: per
    step, the median start and end (ms from the start) over args.runs turns of each. Not timed runs: --verbose
    also lists every name on stdout."""
    turns = {"first": [], "repeat": []}
    for _ in range(args.runs):
        fresh(run_out)
        for kind in ("first", "repeat"):
            argv = [arg if arg != "--quiet" else "--verbose" for arg in run_argv()]
            result = run_tool(argv, stdout_path=os.path.join(out_dir, "pipeline.out"))
            line = next((line for line in result["stderr"].splitlines() if STEPS_MARKER in line), None)
            if line is None:
                sys.exit("resolver-bench: no steps line from run --verbose: %s" % result["stderr"][-400:])
            turns[kind].append(parse_steps(line.split(STEPS_MARKER, 1)[1]))
    steps = {}
    for kind, parsed in turns.items():
        names = [name for name, _, _ in parsed[0]]
        steps[kind] = [{"step": name,
                        "start": statistics.median(dict((n, b) for n, b, _ in turn)[name] for turn in parsed),
                        "end": statistics.median(dict((n, e) for n, _, e in turn)[name] for turn in parsed)}
                       for name in names]
    log("pipeline steps: %d turns each" % args.runs)
    return steps


def parse_steps(text):
    """`manifest 0.4–59.5, read latest 2.2–153.3, …` as [(step, start, end)]."""
    steps = []
    for item in text.split(", "):
        name, _, bounds = item.rpartition(" ")
        start, end = (float(x) for x in bounds.split("\u2013"))
        steps.append((name, start, end))
    return steps


def median_of(results):
    """The median run's wall, CPU, RSS and status, with every run's wall time in run order."""
    median = sorted(results, key=lambda r: r["wall"])[len(results) // 2]
    return {"wall": median["wall"], "cpu": median["cpu"], "rss_mib": median["rss_mib"],
            "walls": [r["wall"] for r in results], "status": median["status"]}


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--ceiling", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", default="dnsperf,egressmap,egressmap-table,ceiling,adnshost,pycares,dnspython")
    parser.add_argument("--python-max", type=int, default=100000, help="largest size pycares and adnshost run at")
    parser.add_argument("--dnspython-max", type=int, default=10000, help="largest size dnspython runs at")
    parser.add_argument("--dnsperf-window", type=int, default=100)
    parser.add_argument("--ceiling-window", type=int, default=50)
    parser.add_argument("--pycares-window", type=int, default=0, help="0: sweep on the smallest size")
    parser.add_argument("--dnspython-window", type=int, default=0, help="0: sweep on the smallest size")
    parser.add_argument("--pipeline", type=int, default=10000, help="names for the run/resolve comparison (0: none)")
    args = parser.parse_args()
    args.tools = args.tools.split(",")
    sizes = [int(size) for size in args.sizes.split(",")]
    os.makedirs(args.work, exist_ok=True)
    out_dir = os.path.join(args.work, "out")
    os.makedirs(out_dir, exist_ok=True)

    report = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "load_before": os.getloadavg(),
              "runs": args.runs, "results": [], "pipeline": None, "pipeline_steps": None, "rerender": None,
              "pipeline_names": args.pipeline}
    for n in sizes:
        knot, zone_dir = start_knot(args.work, n)
        try:
            if n == min(sizes) and (not args.pycares_window or not args.dnspython_window):
                sweep(args, zone_dir, out_dir)
                report["windows"] = {"pycares": args.pycares_window, "dnspython": args.dnspython_window}
            if args.pipeline == n:
                report["pipeline"], report["pipeline_steps"], report["rerender"] = pipeline_overhead(
                    args, zone_dir, out_dir)
            chosen = tools(args, zone_dir, out_dir, n)
            results = {key: [] for key, _, _, _ in chosen}

            def measure(key, thunk):
                results[key].append(thunk())
                r = results[key][-1]
                log("%d %s run %d: %.2f s wall, %.2f s cpu, %.1f MiB, %d answered, %d timeouts" % (
                    n, key, len(results[key]), r["wall"], r["cpu"], r["rss_mib"], r["answered"], r["timeouts"]))

            # dnsperf, egressmap and the ceiling in turns (see the module's note); the slow peers after them,
            # once past 10,000 names (dnspython once), to keep a bench bounded.
            turns = [tool for tool in chosen if tool[0] in INTERLEAVED]
            for _ in range(args.runs):
                for key, _, _, thunk in turns:
                    measure(key, thunk)
            for key, _, _, thunk in chosen:
                if key not in INTERLEAVED:
                    for _ in range(1 if key == "dnspython" or n > 10000 else args.runs):
                        measure(key, thunk)
            for key, label, window, _ in chosen:
                median = sorted(results[key], key=lambda r: r["wall"])[len(results[key]) // 2]
                pairs = zip(results[key], results.get("ceiling", [])) if key in INTERLEAVED else ()
                ratios = [r["wall"] / c["wall"] for r, c in pairs]
                report["results"].append({
                    "names": n, "tool": key, "label": label, "window": window, "runs": len(results[key]),
                    "wall": median["wall"], "walls": [r["wall"] for r in results[key]], "cpu": median["cpu"],
                    "server_cpu": median["server_cpu"],
                    "rss_mib": median["rss_mib"], "answered": median["answered"], "timeouts": median["timeouts"],
                    "names_per_s": n / median["wall"] if median["wall"] > 0 else None,
                    "qps": median.get("qps"),
                    "ratios": ratios,
                })
        finally:
            stop_knot(knot)
    report["load_after"] = os.getloadavg()
    with open(args.json, "w") as target:
        json.dump(report, target, indent=2)
    print_table(report)


def machine():
    model = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return "%s, %d cores, %s" % (model, os.cpu_count(), os.uname().release)


def print_table(report):
    print("Resolver bench, %s; %s; load average %.1f before, %.1f after; median of %d runs, dnsperf,"
          " egressmap and the ceiling in turns (the python peers and adnshost once past 10,000 names,"
          " dnspython once)" % (
              report["date"], report["machine"], report["load_before"][0], report["load_after"][0], report["runs"]))
    print()
    print("| names | tool | window | wall s | names/s | CPU s | knot CPU s | peak RSS MiB | answered | timeouts"
          " | × C | × C per turn |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    ceilings = {r["names"]: r["wall"] for r in report["results"] if r["tool"] == "ceiling"}
    for r in report["results"]:
        ratio = r["wall"] / ceilings[r["names"]] if r["names"] in ceilings else None
        extra = " (%.0f q/s)" % r["qps"] if r.get("qps") else ""
        turns = r.get("ratios") if r["tool"] == "egressmap" else None
        print("| %d | %s%s | %s | %.2f | %.0f | %.2f | %.2f | %.1f | %d | %d | %s | %s |" % (
            r["names"], r["label"], extra, r["window"] or "-", r["wall"], r["names_per_s"] or 0, r["cpu"],
            r.get("server_cpu", 0), r["rss_mib"], r["answered"], r["timeouts"], "%.2f" % ratio if ratio else "-",
            "median %.2f (%s)" % (statistics.median(turns), ", ".join("%.2f" % x for x in turns)) if turns else "-"))
    if report["pipeline"]:
        print()
        print("| egressmap, 3 rounds | wall s | CPU s | peak RSS MiB | × resolve per turn |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for row in report["pipeline"]:
            print("| %s | %.2f | %.2f | %.1f | %.2f |" % (
                row["command"], row["wall"], row["cpu"], row["rss_mib"], row["ratio"]))
        first, again = (row["ratio"] for row in report["pipeline"][1:3])
        print()
        print("run adds %.0f%% to resolve's wall time (%.0f%% for a run into the folder of an earlier one), the"
              " median of each turn's ratio." % ((first - 1) * 100, (again - 1) * 100))
    if report.get("pipeline_steps"):
        print_steps(report["pipeline_steps"], report["runs"])
    if report.get("rerender"):
        print()
        print("Reading the run's snapshot afterwards (%d names), medians of %d runs:" % (
            report["pipeline_names"], report["runs"]))
        print()
        print("| command | wall s | CPU s | peak RSS MiB |")
        print("| --- | ---: | ---: | ---: |")
        for row in report["rerender"]:
            print("| %s | %.2f | %.2f | %.1f |" % (row["command"], row["wall"], row["cpu"], row["rss_mib"]))


def print_steps(steps, runs):
    """The steps of a run as a table, in the order the first run began them."""
    print()
    print("Steps of a run, as `run --verbose` prints them: ms from the start, medians of %d turns." % runs)
    print()
    print("| step | first run | into an earlier run's folder |")
    print("| --- | ---: | ---: |")
    repeat = {row["step"]: row for row in steps["repeat"]}
    for row in steps["first"]:
        other = repeat.get(row["step"])
        print("| %s | %.0f–%.0f | %s |" % (row["step"], row["start"], row["end"],
                                          "%.0f–%.0f" % (other["start"], other["end"]) if other else "-"))
    for kind, label in (("first", "a first run"), ("repeat", "a run into an earlier run's folder")):
        spans = {row["step"]: row for row in steps[kind]}
        if "resolve" in spans:
            last = max(row["end"] for row in steps[kind])
            print()
            print("For %s: %.0f ms before DNS, DNS %.0f ms, %.0f ms after it." % (
                label, spans["resolve"]["start"], spans["resolve"]["end"] - spans["resolve"]["start"],
                last - spans["resolve"]["end"]))


if __name__ == "__main__":
    main()
