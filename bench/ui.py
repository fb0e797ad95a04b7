#!/usr/bin/env python3
"""Drives the bezala UI for bench/run.sh: through a pseudo-terminal for
the start, big-view and slow-server benchmarks, through tmux for the
company switch.
Prints "key value" lines that run.sh turns into its report."""

import argparse
import fcntl
import json
import os
import re
import select
import shutil
import signal
import ssl
import statistics
import struct
import subprocess
import sys
import termios
import time
import urllib.request

ROWS, COLS = 30, 120
DATE_ROW = re.compile(rb"\d{4}-\d\d-\d\d  ")
KEY_BAR = b"q quit"
KEY_LINE = re.compile(rb"key handled in (\d+) us")


def sim_post(args, path, body):
    """POSTs JSON to the bench's own sim on loopback; the answer's JSON."""
    ctx = ssl.create_default_context(cafile=args.cacert)
    req = urllib.request.Request(
        args.server + path, data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=ctx, timeout=30) as answer:
        return json.load(answer)


def ui_argv(args, home, log=None):
    argv = [os.path.join(args.bin_dir, "bezala"), "--server", args.server,
            "--cacert", args.cacert, "--home", home]
    if log:
        argv += ["--log", log, "--log-level", "debug"]
    return argv


def ui_env():
    env = dict(os.environ)
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("NO_COLOR", None)
    return env


def cpu_ms(pid):
    """CPU time of every thread of pid so far (ns counters), in ms."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e6


def memory_kb(pid):
    found = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


class Pty:
    """The UI on a pseudo-terminal of ROWS x COLS, its output kept."""

    def __init__(self, argv):
        self.started = time.monotonic()
        pid, fd = os.forkpty()
        if pid == 0:
            try:
                os.execve(argv[0], argv, ui_env())
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", ROWS, COLS, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        self.out = b""

    def pump(self, timeout):
        """Reads what the UI wrote within timeout seconds; False at EOF."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return False
        self.out += chunk
        return bool(chunk)

    def wait_for(self, done, limit):
        deadline = time.monotonic() + limit
        while not done():
            if time.monotonic() > deadline or not self.pump(0.05):
                raise SystemExit("bench: the UI did not show the frame "
                                 "in %.0f s" % limit)

    def quit(self):
        """Sends q, waits; the child's total user+sys CPU in ms."""
        os.write(self.fd, b"q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            pid, _, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return (usage.ru_utime + usage.ru_stime) * 1000
            self.pump(0.01)
        os.kill(self.pid, signal.SIGTERM)
        os.wait4(self.pid, 0)
        os.close(self.fd)
        raise SystemExit("bench: the UI did not quit")


def full_frame(ui):
    return KEY_BAR in ui.out and DATE_ROW.search(ui.out) is not None


def one_start(args, home):
    ui = Pty(ui_argv(args, home))
    ui.wait_for(lambda: full_frame(ui), 60)
    wall = (time.monotonic() - ui.started) * 1000
    cpu = cpu_ms(ui.pid)
    total = ui.quit()
    return wall, cpu, total


def bench_start(args):
    """Interleaved: the cached home, then a fresh copy of the empty one."""
    cached, empty = [], []
    for i in range(args.runs):
        cached.append(one_start(args, args.home))
        home = os.path.join(args.tmp, "start-empty-%d" % i)
        shutil.copytree(args.empty_home, home)
        empty.append(one_start(args, home))
        shutil.rmtree(home)
    for name, runs in (("cached", cached), ("empty", empty)):
        for n, key in enumerate(("wall_ms", "cpu_ms", "cpu_total_ms")):
            print("%s_%s %.1f" % (name, key,
                                  statistics.median(r[n] for r in runs)))


class Tmux:
    """The UI in a tmux server of its own (socket in the bench's temp)."""

    def __init__(self, args, home):
        self.base = ["tmux", "-S", os.path.join(args.tmp, "tmux.sock"),
                     "-f", "/dev/null"]
        cmd = " ".join("'%s'" % a for a in ui_argv(args, home))
        subprocess.run(self.base + [
            "new-session", "-d", "-x", str(COLS), "-y", str(ROWS),
            "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 " + cmd],
            check=True)

    def screen(self):
        return subprocess.run(self.base + ["capture-pane", "-p"],
                              capture_output=True, text=True).stdout

    def keys(self, *keys):
        subprocess.run(self.base + ["send-keys"] + list(keys), check=True)

    def wait_for(self, done, limit):
        deadline = time.monotonic() + limit
        while True:
            text = self.screen()
            if done(text):
                return text
            if time.monotonic() > deadline:
                raise SystemExit("bench: screen not reached:\n" + text)

    def close(self):
        subprocess.run(self.base + ["kill-server"], capture_output=True)


def bench_switch(args):
    """Enter in the company picker to the new company's first rows."""
    times, calls = [], []
    for i in range(args.runs):
        sim_post(args, "/sim/switch",
                 {"email": args.email, "company_id": args.from_id})
        home = os.path.join(args.tmp, "switch-%d" % i)
        shutil.copytree(args.home, home)
        ui = Tmux(args, home)
        ui.wait_for(lambda s: args.from_name in s and "q quit" in s, 60)
        ui.keys("c")
        ui.wait_for(lambda s: "Switch company" in s, 30)
        ui.keys("-l", args.filter)
        ui.wait_for(lambda s: "Filter: " + args.filter in s, 30)
        sim_post(args, "/sim/stats", {"reset": True})
        start = time.monotonic()
        ui.keys("Enter")
        ui.wait_for(lambda s: args.to_name in s.split("\n")[0] and
                    args.first_row in s, 60)
        times.append((time.monotonic() - start) * 1000)
        calls.append(sim_post(args, "/sim/stats", {})["api_calls"])
        ui.close()
        shutil.rmtree(home)
    ms = statistics.median(times)
    print("switch_ms %.1f" % ms)
    print("switch_round_trips %.2f" % (ms / args.latency))
    print("switch_requests %d" % statistics.median(calls))


def key_times(ui, log, keys):
    """Sends each key, waits for its "key handled" line; the times in ms."""
    times = []
    for key in keys:
        seen = len(KEY_LINE.findall(open(log, "rb").read()))
        os.write(ui.fd, key)
        deadline = time.monotonic() + 30
        while True:
            found = KEY_LINE.findall(open(log, "rb").read())
            if len(found) > seen:
                times.append(int(found[seen]) / 1000)
                break
            if time.monotonic() > deadline:
                raise SystemExit("bench: no key line for %r" % key)
            ui.pump(0.002)
    return times


def loaded(args, ui):
    """True once the list is on screen and the sim has been idle 1 s."""
    if not full_frame(ui):
        return False
    before = sim_post(args, "/sim/stats", {})["api_calls"]
    end = time.monotonic() + 1
    while time.monotonic() < end:
        ui.pump(0.05)
    return sim_post(args, "/sim/stats", {})["api_calls"] == before


def summary(name, times):
    print("%s_median_ms %.2f" % (name, statistics.median(times)))
    print("%s_max_ms %.2f" % (name, max(times)))


def bench_view(args):
    log = os.path.join(args.tmp, "view.log")
    ui = Pty(ui_argv(args, args.home, log))
    ui.wait_for(lambda: loaded(args, ui), 600)
    mem = memory_kb(ui.pid)
    word = b"taksi"
    filt = key_times(ui, log, [b"/"] + [bytes([c]) for c in word] +
                     [b"\x7f"] * len(word) + [b"\r"])
    pages = key_times(ui, log, [b"\x1b[6~"] * 20)
    sorts = key_times(ui, log, [b"s"] * 8 + [b"S"] * 2)
    after = memory_kb(ui.pid)
    ui.quit()
    summary("filter_key", filt[1:-1])
    summary("page_down", pages)
    summary("sort", sorts)
    print("rss_kb %d" % after["VmRSS"])
    print("hwm_kb %d" % max(mem["VmHWM"], after["VmHWM"]))


def frame_times(ui, log, keys, pause):
    """Sends each key; for each, the ms the UI took to handle it (its
    "key handled" line) and the wall ms from the write to the first bytes
    of the frame it drew."""
    handled, walls = [], []
    for key in keys:
        seen = len(KEY_LINE.findall(open(log, "rb").read()))
        shown = len(ui.out)
        start = time.monotonic()
        os.write(ui.fd, key)
        wall = None
        deadline = start + 30
        while True:
            ui.pump(0.001)
            if wall is None and len(ui.out) > shown:
                wall = (time.monotonic() - start) * 1000
            found = KEY_LINE.findall(open(log, "rb").read())
            if wall is not None and len(found) > seen:
                handled.append(int(found[seen]) / 1000)
                walls.append(wall)
                break
            if time.monotonic() > deadline:
                raise SystemExit("bench: no frame for key %r" % key)
        # A pause, as between a person's keys: each key meets a loop that
        # is waiting on the network or taking its answers, not the
        # previous key's frame.
        end = time.monotonic() + pause
        while time.monotonic() < end:
            ui.pump(0.01)
    return handled, walls


def resize_times(ui, sizes, pause):
    """Resizes the pseudo-terminal to each (rows, cols) in turn; the wall
    ms from each SIGWINCH to the first bytes of the new frame."""
    walls = []
    for rows, cols in sizes:
        shown = len(ui.out)
        start = time.monotonic()
        fcntl.ioctl(ui.fd, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))
        os.kill(ui.pid, signal.SIGWINCH)
        while len(ui.out) == shown:
            if time.monotonic() > start + 30:
                raise SystemExit("bench: no frame after a resize")
            ui.pump(0.001)
        walls.append((time.monotonic() - start) * 1000)
        end = time.monotonic() + pause
        while time.monotonic() < end:
            ui.pump(0.01)
    return walls


def bench_slow(args):
    """Keys while every answer takes args.latency ms: view switches and
    the help overlay, on an empty cache, so that each view is loading."""
    log = os.path.join(args.tmp, "slow.log")
    ui = Pty(ui_argv(args, args.home, log))
    ui.wait_for(lambda: KEY_BAR in ui.out, 60)
    keys = [b"2", b"3", b"4", b"1", b"?", b"x", b"]", b"["] * 3
    handled, walls = frame_times(ui, log, keys, 0.2)
    resizes = resize_times(ui, [(ROWS - 2, COLS - 10), (ROWS, COLS)] * 3, 0.2)
    last_key = open(log, "rb").read().rfind(b"key handled in")
    # The loads go on: wait for an answer after the last key, which shows
    # that every key was taken while requests were in flight.
    deadline = time.monotonic() + 10 + 5 * args.latency / 1000
    while time.monotonic() < deadline:
        text = open(log, "rb").read()
        if re.search(rb"GET /api/\S+ -> 200", text[last_key:]):
            break
        ui.pump(0.05)
    answers_after = len(re.findall(rb"GET /api/\S+ -> 200",
                                   text[last_key:]))
    answers_before = len(re.findall(rb"GET /api/\S+ -> 200",
                                    text[:last_key]))
    ui.quit()
    summary("slow_key", handled)
    summary("slow_frame", walls)
    summary("slow_resize", resizes)
    print("slow_keys %d" % len(keys))
    print("slow_answers_before %d" % answers_before)
    print("slow_answers_after %d" % answers_after)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bench", choices=["start", "switch", "view", "slow"])
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--cacert", required=True)
    parser.add_argument("--home", required=True)
    parser.add_argument("--tmp", required=True)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--empty-home")
    parser.add_argument("--email")
    parser.add_argument("--latency", type=float, default=1)
    parser.add_argument("--from-id", type=int)
    parser.add_argument("--from-name")
    parser.add_argument("--to-name")
    parser.add_argument("--filter")
    parser.add_argument("--first-row")
    args = parser.parse_args()
    {"start": bench_start, "switch": bench_switch,
     "view": bench_view, "slow": bench_slow}[args.bench](args)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
