#!/usr/bin/env python3
"""Merge address lists with netaddr's cidr_merge: the reference the IPNet tests compare against.

Input on stdin: cases, each opened by a line "=== <name>", then one entry a line: an address, a prefix
(a/n) or a range (a-b). Output: for each case its "=== <name>" line, then netaddr's merged prefixes,
one a line, as str(IPNetwork) prints them. Exits 3 with a sentence when netaddr is missing.
"""
import sys

try:
    import netaddr
except ImportError:
    sys.stderr.write("netaddr is not installed for %s: run `%s -m pip install netaddr`\n"
                     % (sys.executable, sys.executable))
    sys.exit(3)


def entry(text):
    if "-" in text:
        first, last = (part.strip() for part in text.split("-", 1))
        return netaddr.IPRange(first, last)
    return netaddr.IPNetwork(text)


def flush(name, entries, out):
    if name is None:
        return
    out.append("=== " + name)
    out.extend(str(network) for network in netaddr.cidr_merge(entries))


def main():
    out = []
    name, entries = None, []
    for line in sys.stdin.read().splitlines():
        line = line.strip()
        if line.startswith("=== "):
            flush(name, entries, out)
            name, entries = line[4:], []
        elif line and not line.startswith("#"):
            entries.append(entry(line))
    flush(name, entries, out)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
