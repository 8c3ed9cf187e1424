#!/usr/bin/env python3
"""CPU seconds (user + system) of process trees, from /proc, for the cluster benchmark.

Usage: cpu.py GROUP=PID[,PID...] ...   prints one line per group: "GROUP SECONDS"

A group's figure is the sum over each named process and all its live descendants of utime +
stime, plus cutime + cstime (the CPU of children that exited and were waited for: PostgreSQL's
backends end up in the postmaster's). Two readings taken before and after a run give the CPU the
run cost each group; a process that died in between makes the difference meaningless, so the
benchmark checks its processes are alive.
"""
import os
import sys

HZ = os.sysconf("SC_CLK_TCK")


def stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after the last ')'.
    fields = text[text.rindex(")") + 2:].split()
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return ppid, utime + stime + cutime + cstime


def main(argv):
    table = {}
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            s = stat(entry)
            if s:
                table[int(entry)] = s[1]
                children.setdefault(s[0], []).append(int(entry))
    for arg in argv:
        group, _, pids = arg.partition("=")
        seen, stack, ticks = set(), [int(p) for p in pids.split(",") if p], 0
        while stack:
            pid = stack.pop()
            if pid in seen or pid not in table:
                continue
            seen.add(pid)
            ticks += table[pid]
            stack.extend(children.get(pid, []))
        print(f"{group} {ticks / HZ:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
