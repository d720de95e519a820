// Batched UDP I/O for one c-ares channel: see CAres.h. Used only on the channel's loop thread.
#define _GNU_SOURCE
#include "CAres.h"

#include <errno.h>
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

// Notes `error` as the latest hard socket failure; what only means "not now" is not one. Leaves errno as it
// is, for the caller's caller.
static void note_error(struct egressmap_batched_io *io, int error) {
    if (error != EAGAIN && error != EWOULDBLOCK && error != EINTR && error != EINPROGRESS && error != ENOBUFS) {
        io->socket_error = error;
    }
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
static ares_socket_t open_socket(int family, int type, int protocol, void *data) {
    struct egressmap_batched_io *io = data;
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);  // 1.18.1 passes none of these flags; later ones may
    ares_socket_t fd = socket(family, kind | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
    if (fd < 0) note_error(io, errno);
    if (fd >= 0 && kind == SOCK_STREAM) {
        int on = 1;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // as c-ares does: best effort
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
    if (result < 0) note_error(data, errno);
    return result;
}

// writev, noting a hard failure.
static ares_ssize_t write_through(struct egressmap_batched_io *io, ares_socket_t fd, const struct iovec *parts,
                                  int count) {
    ares_ssize_t written = writev(fd, parts, count);
    if (written < 0) note_error(io, errno);
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
        if (got < 0) note_error(io, errno);
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
            note_error(io, errno);
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
    }
    return io;
}

void egressmap_batched_io_destroy(egressmap_batched_io *io) { free(io); }

void egressmap_batched_io_install(egressmap_batched_io *io, ares_channel channel) {
    ares_set_socket_functions(channel, &batched_functions, io);
}

int egressmap_batched_io_socket_error(const egressmap_batched_io *io) { return io->socket_error; }

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
            note_error(io, error);
        }
        break;  // the rest are dropped: c-ares resends them when they time out
    }
    io->queued = 0;
    return io->owed_error ? io->udp : -1;
}
