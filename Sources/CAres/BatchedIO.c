// Batched UDP I/O for one c-ares channel: see CAres.h. Used only on the channel's loop thread.
#define _GNU_SOURCE
#include "CAres.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

enum {
    batch = 64,
    // A query egressmap builds is at most 12 + 255 + 4 bytes; anything longer goes out on its own.
    query_room = 512,
    // What c-ares 1.18.1 reads a UDP reply into (MAXENDSSZ + 1).
    reply_room = 4097,
};

struct egressmap_batched_io {
    // The one UDP socket batched (c-ares keeps one per server, and a channel has one server); any other
    // goes straight through.
    ares_socket_t udp;
    // A hard error a batched send met, owed to c-ares's next read of `udp`.
    int owed_error;
    // The errno of the latest hard failure of a socket (a connect, send or read refused, unreachable or
    // not permitted), kept until a reply is read: c-ares reports all of them as ECONNREFUSED.
    int socket_error;
    // The ICMP error behind `socket_error`, when one came back (read from the socket's error queue):
    // who sent it, its type and code. `icmp_family` is 0 when none did: this host refused the connect or
    // send itself (no route, its own firewall).
    int icmp_family, icmp_type, icmp_code;
    struct sockaddr_storage icmp_sender;

    // Datagrams queued for `udp`.
    int queued;
    unsigned char query[batch][query_room];
    struct iovec query_iov[batch];
    struct mmsghdr query_msg[batch];

    // Replies read from `udp` and not yet handed over: `next` up to `read`. `drained` is set when the
    // last `recvmmsg` found fewer than `batch`: the socket was empty then, so the read after the cached
    // ones can say "would block" without asking the kernel (epoll is level-triggered and will report
    // anything that arrived since).
    int read, next, drained;
    unsigned char reply[batch][reply_room];
    struct iovec reply_iov[batch];
    struct mmsghdr reply_msg[batch];
    struct sockaddr_storage reply_from[batch];
};

// Empties the error queue of `fd` (IP_RECVERR, see `open_socket`); returns whether an ICMP error was in it,
// and keeps what the latest one said.
static int read_error_queue(struct egressmap_batched_io *io, ares_socket_t fd) {
    int found = 0;
    for (int entries = 0; entries < 64; entries++) {
        unsigned char data[64];
        union {
            struct cmsghdr align;
            unsigned char bytes[CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6))];
        } control;
        struct iovec part = { .iov_base = data, .iov_len = sizeof data };
        struct msghdr message = { .msg_iov = &part, .msg_iovlen = 1, .msg_control = control.bytes,
                                  .msg_controllen = sizeof control.bytes };
        if (recvmsg(fd, &message, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) break;  // empty (EAGAIN)
        for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
            int v4 = header->cmsg_level == IPPROTO_IP && header->cmsg_type == IP_RECVERR;
            int v6 = header->cmsg_level == IPPROTO_IPV6 && header->cmsg_type == IPV6_RECVERR;
            if (!v4 && !v6) continue;
            const struct sock_extended_err *report = (const void *)CMSG_DATA(header);
            if (report->ee_origin != SO_EE_ORIGIN_ICMP && report->ee_origin != SO_EE_ORIGIN_ICMP6) continue;
            found = 1;
            io->icmp_family = report->ee_origin == SO_EE_ORIGIN_ICMP ? AF_INET : AF_INET6;
            io->icmp_type = report->ee_type;
            io->icmp_code = report->ee_code;
            const struct sockaddr *sender = SO_EE_OFFENDER(report);
            memset(&io->icmp_sender, 0, sizeof io->icmp_sender);
            if (sender->sa_family == AF_INET) memcpy(&io->icmp_sender, sender, sizeof(struct sockaddr_in));
            if (sender->sa_family == AF_INET6) memcpy(&io->icmp_sender, sender, sizeof(struct sockaddr_in6));
        }
    }
    return found;
}

// Notes `error` as the latest hard socket failure, with the ICMP error behind it if one came back; what only
// means "not now" is not one. `fd` is the socket a send or read failed on, to ask for that ICMP error, or -1
// when making or connecting a socket failed: this host's own refusal (no route, its own firewall).
// The kernel reports one ICMP error on the socket for however many it queued: a later failure with the same
// errno and none left in the queue keeps the report already read. Leaves errno set to `error`, for the
// caller's caller.
static void note_error(struct egressmap_batched_io *io, ares_socket_t fd, int error) {
    if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == EINPROGRESS || error == ENOBUFS) return;
    int same = error == io->socket_error;
    io->socket_error = error;
    if (fd < 0 || (!read_error_queue(io, fd) && !same)) io->icmp_family = 0;
    errno = error;  // reading the error queue ended in EAGAIN
}

static void forget_udp(struct egressmap_batched_io *io) {
    io->udp = ARES_SOCKET_BAD;
    io->owed_error = 0;
    io->queued = 0;
    io->read = io->next = io->drained = 0;
}

// c-ares 1.18.1 configures only the sockets it opens itself ("do not set options for user-managed
// sockets"), so these are made as it would make them: non-blocking, close-on-exec, and TCP without Nagle's
// delay. A blocking socket stalls the whole loop: a TCP connect to a server that drops SYNs (a firewall
// on port 53, after a truncated UDP reply) waited for the kernel's two minutes, past every timeout and
// deadline.
//
// A UDP socket also gets IP_RECVERR (IPV6_RECVERR), as glibc's resolver gives its own: without it Linux
// reports only the ICMP errors it deems hard (port unreachable, administratively prohibited) and drops
// host and network unreachable, so a server a router or firewall rejects that way ran every query into
// its timeout and tries, and was reported as silent. With it, the next read fails with the error, c-ares
// closes the socket (and its queue of errors) and tries again, and the query ends at once with the reason.
static ares_socket_t open_socket(int family, int type, int protocol, void *data) {
    struct egressmap_batched_io *io = data;
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);  // 1.18.1 passes none of these flags; later ones may
    ares_socket_t fd = socket(family, kind | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
    if (fd < 0) note_error(io, -1, errno);
    int on = 1;
    if (fd >= 0 && kind == SOCK_STREAM) {
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // as c-ares does: best effort
    }
    if (fd >= 0 && kind == SOCK_DGRAM && family == AF_INET) {
        (void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);  // best effort: a timeout without it
    }
    if (fd >= 0 && kind == SOCK_DGRAM && family == AF_INET6) {
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
    }
    if (fd >= 0 && kind == SOCK_DGRAM && io->udp == ARES_SOCKET_BAD) {
        forget_udp(io);
        io->udp = fd;
    }
    return fd;
}

static int close_socket(ares_socket_t fd, void *data) {
    struct egressmap_batched_io *io = data;
    if (fd == io->udp) forget_udp(io);  // queued datagrams die with the socket, as sent ones would
    return close(fd);
}

static int connect_socket(ares_socket_t fd, const struct sockaddr *address, ares_socklen_t length, void *data) {
    int result = connect(fd, address, length);
    if (result < 0) note_error(data, -1, errno);
    return result;
}

// writev, noting a hard failure.
static ares_ssize_t write_through(struct egressmap_batched_io *io, ares_socket_t fd, const struct iovec *parts,
                                  int count) {
    ares_ssize_t written = writev(fd, parts, count);
    if (written < 0) note_error(io, fd, errno);
    return written;
}

static ares_ssize_t send_datagram(ares_socket_t fd, const struct iovec *parts, int count, void *data) {
    struct egressmap_batched_io *io = data;
    if (fd != io->udp) return write_through(io, fd, parts, count);
    size_t length = 0;
    for (int i = 0; i < count; i++) length += parts[i].iov_len;
    if (length > query_room) {
        egressmap_batched_io_flush(io);
        return write_through(io, fd, parts, count);
    }
    if (io->queued == batch) egressmap_batched_io_flush(io);
    unsigned char *slot = io->query[io->queued];
    size_t at = 0;
    for (int i = 0; i < count; i++) {
        memcpy(slot + at, parts[i].iov_base, parts[i].iov_len);
        at += parts[i].iov_len;
    }
    io->query_iov[io->queued] = (struct iovec){ .iov_base = slot, .iov_len = length };
    io->query_msg[io->queued] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &io->query_iov[io->queued], .msg_iovlen = 1 } };
    io->queued++;
    return (ares_ssize_t)length;
}

static ares_ssize_t receive_datagram(ares_socket_t fd, void *buffer, size_t room, int flags, struct sockaddr *from,
                                     ares_socklen_t *from_length, void *data) {
    struct egressmap_batched_io *io = data;
    if (fd != io->udp) {
        ares_ssize_t got = recvfrom(fd, buffer, room, flags, from, from_length);
        if (got < 0) note_error(io, fd, errno);
        return got;
    }
    if (io->owed_error) {
        errno = io->owed_error;
        io->owed_error = 0;
        return -1;
    }
    if (io->next == io->read) {
        if (io->drained) {
            io->drained = 0;
            errno = EAGAIN;
            return -1;
        }
        for (int i = 0; i < batch; i++) {
            io->reply_iov[i] = (struct iovec){ .iov_base = io->reply[i], .iov_len = reply_room };
            io->reply_msg[i] = (struct mmsghdr){ .msg_hdr = {
                .msg_name = &io->reply_from[i], .msg_namelen = sizeof io->reply_from[i],
                .msg_iov = &io->reply_iov[i], .msg_iovlen = 1 } };
        }
        int count;
        do {
            count = recvmmsg(fd, io->reply_msg, batch, MSG_DONTWAIT, NULL);
        } while (count < 0 && errno == EINTR);
        if (count < 0) {  // would block, or the socket's error
            note_error(io, fd, errno);
            return count;
        }
        if (count == 0) return count;
        io->socket_error = 0;  // the server answers: what failed before is over
        io->read = count;
        io->next = 0;
        io->drained = count < batch;
    }
    struct mmsghdr *message = &io->reply_msg[io->next];
    size_t length = message->msg_len < room ? message->msg_len : room;
    memcpy(buffer, io->reply[io->next], length);
    if (from && from_length) {
        ares_socklen_t from_room = *from_length;
        ares_socklen_t got = message->msg_hdr.msg_namelen;
        memcpy(from, &io->reply_from[io->next], got < from_room ? got : from_room);
        *from_length = got;
    }
    io->next++;
    return (ares_ssize_t)length;
}

static const struct ares_socket_functions batched_functions = {
    .asocket = open_socket,
    .aclose = close_socket,
    .aconnect = connect_socket,
    .arecvfrom = receive_datagram,
    .asendv = send_datagram,
};

egressmap_batched_io *egressmap_batched_io_create(void) {
    struct egressmap_batched_io *io = malloc(sizeof *io);
    if (io) {
        forget_udp(io);
        io->socket_error = 0;
        io->icmp_family = 0;
    }
    return io;
}

void egressmap_batched_io_destroy(egressmap_batched_io *io) { free(io); }

void egressmap_batched_io_install(egressmap_batched_io *io, ares_channel channel) {
    ares_set_socket_functions(channel, &batched_functions, io);
}

int egressmap_batched_io_socket_error(const egressmap_batched_io *io) { return io->socket_error; }

int egressmap_batched_io_icmp_error(const egressmap_batched_io *io, int *type, int *code, char *sender,
                                    size_t sender_room) {
    if (io->socket_error == 0 || io->icmp_family == 0) return 0;
    *type = io->icmp_type;
    *code = io->icmp_code;
    if (sender_room == 0) return io->icmp_family;
    const struct sockaddr_storage *from = &io->icmp_sender;
    const void *address = from->ss_family == AF_INET    ? (const void *)&((const struct sockaddr_in *)from)->sin_addr
                          : from->ss_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)from)->sin6_addr
                                                        : NULL;
    if (!address || !inet_ntop(from->ss_family, address, sender, (socklen_t)sender_room)) sender[0] = 0;  // unknown
    return io->icmp_family;
}

int egressmap_batched_io_unread(const egressmap_batched_io *io) {
    return io->next < io->read || io->owed_error ? io->udp : -1;
}

int egressmap_batched_io_flush(egressmap_batched_io *io) {
    int sent = 0;
    while (sent < io->queued) {
        int count = sendmmsg(io->udp, io->query_msg + sent, (unsigned)(io->queued - sent), 0);
        if (count > 0) {
            sent += count;
            continue;
        }
        if (count < 0 && errno == EINTR) continue;
        int error = count < 0 ? errno : EIO;
        if (error != EAGAIN && error != EWOULDBLOCK && error != ENOBUFS) {
            io->owed_error = error;
            note_error(io, io->udp, error);
        }
        break;  // the rest are dropped: c-ares resends them when they time out
    }
    io->queued = 0;
    return io->owed_error ? io->udp : -1;
}
