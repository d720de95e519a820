#!/usr/bin/env python3
"""pycares peer: A and AAAA for every name, WINDOW queries in flight, one channel driven by epoll.

Usage: peer-pycares.py SERVER PORT WINDOW NAMES OUT
Writes "name type addr..." per answer with addresses to OUT; prints "answered N" and "timeouts N".
"""
import select
import sys

import pycares


def main(server, port, window, names_path, out_path):
    window = int(window)
    epoll = select.epoll()
    watched = {}

    def sock_state(fd, readable, writable):
        mask = (select.EPOLLIN if readable else 0) | (select.EPOLLOUT if writable else 0)
        if not mask:
            if fd in watched:
                epoll.unregister(fd)
                del watched[fd]
        elif fd in watched:
            epoll.modify(fd, mask)
            watched[fd] = mask
        else:
            epoll.register(fd, mask)
            watched[fd] = mask

    channel = pycares.Channel(servers=[server], udp_port=int(port), tcp_port=int(port), timeout=2.0, tries=2,
                              lookups="b", sock_state_cb=sock_state, resolvconf_path="/dev/null",
                              flags=pycares.ARES_FLAG_NOCHECKRESP | pycares.ARES_FLAG_NOSEARCH)
    state = {"in_flight": 0, "answered": 0, "timeouts": 0}
    pending = {}
    out = open(out_path, "w")

    def callback_for(name, type_name):
        def done(result, error):
            state["in_flight"] -= 1
            if error == pycares.errno.ARES_ETIMEOUT:
                state["timeouts"] += 1
            addresses = []
            if error is None and result is not None:
                for record in getattr(result, "answer", result):
                    data = getattr(record, "data", record)
                    addr = getattr(data, "addr", None) or getattr(data, "host", None)
                    if addr and getattr(record, "type", None) in (pycares.QUERY_TYPE_A, pycares.QUERY_TYPE_AAAA, None):
                        addresses.append(addr)
            if addresses:
                out.write("%s %s %s\n" % (name, type_name, " ".join(addresses)))
                pending[name] = True
            left = pending.pop(name + "#left") - 1
            if left:
                pending[name + "#left"] = left
            elif pending.pop(name, False):
                state["answered"] += 1
        return done

    with open(names_path) as names:
        more = True
        while more or state["in_flight"] > 0:
            while more and state["in_flight"] + 2 <= window:
                line = names.readline()
                if not line:
                    more = False
                    break
                name = line.strip()
                pending[name + "#left"] = 2
                state["in_flight"] += 2
                channel.query(name, pycares.QUERY_TYPE_A, callback=callback_for(name, "A"))
                channel.query(name, pycares.QUERY_TYPE_AAAA, callback=callback_for(name, "AAAA"))
            # 0.0 means "now" (a falsy value: never read it as "no timer"); None means no timer is armed,
            # so wake now and then anyway while queries are out.
            timeout = channel.timeout()
            events = epoll.poll(0.1 if timeout is None else min(timeout, 0.1))
            if not events:
                channel.process_fd(pycares.ARES_SOCKET_BAD, pycares.ARES_SOCKET_BAD)
            for fd, mask in events:
                read_fd = fd if mask & (select.EPOLLIN | select.EPOLLERR | select.EPOLLHUP) else pycares.ARES_SOCKET_BAD
                write_fd = fd if mask & select.EPOLLOUT else pycares.ARES_SOCKET_BAD
                channel.process_fd(read_fd, write_fd)
    out.close()
    print("answered %d\ntimeouts %d" % (state["answered"], state["timeouts"]))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit("usage: peer-pycares.py SERVER PORT WINDOW NAMES OUT")
    main(*sys.argv[1:])
