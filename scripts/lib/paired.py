#!/usr/bin/env python3
"""Paired, interleaved timing of whole commands (scripts/bench section 3).

Why not hyperfine: hyperfine runs each command's runs back to back, so a machine whose speed
drifts by 15-30% within minutes (a shared VM) moves one command's figure against another's. A
SPEC ratio of *added* start-up times (shell with the line minus the bare shell) is a difference
of two such figures and swings far more than either. Here every round runs each command once,
in a fresh random order, and the added time is taken inside the round (command minus baseline,
both measured within a few milliseconds of each other); the figure is the median over rounds
of those differences. CPU time (user + system of the command and the children it waited for,
from wait4's rusage) is paired the same way.

Usage: paired.py ROUNDS WARMUP name=command ...   (the first command is the baseline; a
command may start with VAR=value words, which go into its environment; stdin, stdout and
stderr are /dev/null). Prints one line per command:
    name wall_median_us added_wall_us added_wall_p25_us added_wall_p75_us cpu_median_us added_cpu_us
"""
import os
import random
import shlex
import shutil
import statistics
import sys
import time


def parse(spec):
    name, cmd = spec.split("=", 1)
    words = shlex.split(cmd)
    env = dict(os.environ)
    while words and "=" in words[0] and not words[0].startswith("/"):
        k, v = words.pop(0).split("=", 1)
        env[k] = v
    prog = shutil.which(words[0]) or sys.exit(f"paired: {words[0]} not found")
    return name, [prog] + words[1:], env


def run(argv, env, null):
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)])
    _, status, ru = os.wait4(pid, 0)
    t1 = time.perf_counter_ns()
    if status != 0:
        sys.exit(f"paired: {' '.join(argv)} exited with status {status}")
    return (t1 - t0) / 1e3, (ru.ru_utime + ru.ru_stime) * 1e6


def main():
    rounds, warmup = int(sys.argv[1]), int(sys.argv[2])
    cmds = [parse(s) for s in sys.argv[3:]]
    null = os.open("/dev/null", os.O_RDWR)
    for _ in range(warmup):
        for _, argv, env in cmds:
            run(argv, env, null)
    wall = {n: [] for n, _, _ in cmds}
    cpu = {n: [] for n, _, _ in cmds}
    for _ in range(rounds):
        order = cmds[:]
        random.shuffle(order)
        for n, argv, env in order:
            w, c = run(argv, env, null)
            wall[n].append(w)
            cpu[n].append(c)
    base = cmds[0][0]
    for n, _, _ in cmds:
        d = sorted(a - b for a, b in zip(wall[n], wall[base]))
        q = statistics.quantiles(d, n=4) if len(d) > 1 else [d[0]] * 3
        # rusage has a coarse clock on some kernels (tick-based accounting): the mean of the
        # differences, not their median, converges there
        dc = statistics.mean(a - b for a, b in zip(cpu[n], cpu[base]))
        print(n, round(statistics.median(wall[n])), round(statistics.median(d)), round(q[0]), round(q[2]),
              round(statistics.median(cpu[n])), round(dc))


if __name__ == "__main__":
    main()
