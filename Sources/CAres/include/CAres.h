#ifndef EGRESSMAP_CARES_H
#define EGRESSMAP_CARES_H

// The only C in the package: Debian's c-ares 1.18.1 as the DNS module sees it, a few helpers Swift needs
// around it, and the batched socket I/O a channel gives c-ares (BatchedIO.c).

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

// Initialises c-ares (`ares_library_init`) with allocations recycled per thread (AresMemory.c): c-ares
// makes about five blocks per query. Call once, before any other c-ares call.
int egressmap_ares_library_init(void);

// Batched UDP I/O for one c-ares channel (BatchedIO.c). c-ares sends every query with a syscall of its
// own and reads every reply with one more (plus one that finds the socket empty); at tens of thousands
// of queries a second those calls are much of a bulk resolve's time. With these socket functions the
// datagrams c-ares sends in one pass of its loop are queued and leave together in one `sendmmsg`, and
// replies are read up to 64 at a time with `recvmmsg`, then handed to c-ares one by one. TCP sockets
// and anything unusual go straight through.
typedef struct egressmap_batched_io egressmap_batched_io;

// A new, unattached batch state; NULL when out of memory.
egressmap_batched_io *_Nullable egressmap_batched_io_create(void);

// Frees `io`; call after `ares_destroy` of the channel it was given to.
void egressmap_batched_io_destroy(egressmap_batched_io *_Nullable io);

// Gives `channel` the socket functions backed by `io` (before any query is sent).
void egressmap_batched_io_install(egressmap_batched_io *_Nonnull io, ares_channel _Nonnull channel);

// Sends every queued datagram: call before waiting for events. A datagram the kernel will not take now
// (a full socket buffer) is dropped, as the network might drop it; c-ares resends it when it times out.
// Returns the socket whose send failed with a hard error (a refused port), which the next read of that
// socket reports to c-ares, so the caller should have c-ares read it now; otherwise returns -1.
int egressmap_batched_io_flush(egressmap_batched_io *_Nonnull io);

// The socket with replies read from the kernel but not yet handed to c-ares (or an error owed to it),
// or -1. c-ares stops reading a socket early only on a reply from an address it did not ask, which a
// connected socket never gets; the loop checks anyway, since epoll cannot see what is cached here.
int egressmap_batched_io_unread(const egressmap_batched_io *_Nonnull io);

// The errno of the latest hard failure of one of the channel's sockets (a connect, send or read met
// ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EPERM, ...), or 0 when none came since the last reply was read.
// c-ares 1.18.1 ends a query with ARES_ECONNREFUSED for any of them; this tells them apart.
int egressmap_batched_io_socket_error(const egressmap_batched_io *_Nonnull io);

// The ICMP error behind that failure, when one came back from the network (the sockets ask for them with
// IP_RECVERR): returns its family (AF_INET for ICMP, AF_INET6 for ICMPv6) and sets its type, its code and
// who sent it (an address, "" if unknown, in `sender`, INET6_ADDRSTRLEN is room enough). Returns 0, and
// sets nothing, when none did: this host's own connect or send failed (no route, its own firewall).
int egressmap_batched_io_icmp_error(const egressmap_batched_io *_Nonnull io, int *_Nonnull type,
                                    int *_Nonnull code, char *_Nonnull sender, size_t sender_room);

#endif
