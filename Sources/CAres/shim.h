#ifndef EGRESSMAP_CARES_SHIM_H
#define EGRESSMAP_CARES_SHIM_H

#include <ares.h>
#include <ares_dns.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

// `ARES_SOCKET_BAD` is a macro expression (-1) that Swift does not import.
static inline ares_socket_t egressmap_ares_socket_bad(void) { return ARES_SOCKET_BAD; }

// `epoll_event` is declared packed on x86_64; Swift cannot form a pointer to `data` inside it, so the
// file descriptor goes in and comes out through these two helpers.
static inline struct epoll_event egressmap_epoll_event(uint32_t events, int fd) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = 0;
    event.data.fd = fd;
    return event;
}

static inline int egressmap_epoll_event_fd(const struct epoll_event *_Nonnull event) { return event->data.fd; }

static inline uint32_t egressmap_epoll_event_events(const struct epoll_event *_Nonnull event) {
    return event->events;
}

#endif
