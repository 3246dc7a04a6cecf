/*
 * The few socket calls Node cannot make, and nothing else:
 *   - VRRP's raw protocol-112 sockets: one sendto() per advert (the raw-socket package, used
 *     before, switched write polling on and off around every packet),
 *   - sending a link-layer frame on AF_PACKET (gratuitous ARP),
 *   - receiving with recvmsg() and its ancillary data (the IPv6 hop limit and the arrival
 *     interface, which RFC 5798 §7.1 requires us to check),
 *   - sending one Unix datagram (systemd's sd_notify and native journal protocols),
 *   - catching signals by number: keepalived's JSON dump (SIGRTMIN+2, 36) and stats clear
 *     (SIGRTMAX-1, 63) are real-time signals, which process.on() cannot name and whose default
 *     action kills the process,
 *   - binding a socket before Node adopts its descriptor, so that options Node has no call for
 *     (SO_MARK, SO_BINDTODEVICE) are set before connect, as keepalived's checkers do,
 *   - TCP_CHECK's connect-only probe (connectProbe): at thousands of checks a second, Node's
 *     net.Socket, its stream state and an Error with a stack trace for every refused connect
 *     cost most of the CPU; here a probe is one poll handle, and outcomes reach JS in batches.
 * Sockets are plain file descriptors owned by JavaScript; readiness comes from libuv on the
 * main loop, because raw sockets polled from a worker thread crashed in earlier experiments.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_PACKET 65536

typedef struct receiver {
  int fd;
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  struct receiver *next;
} receiver;

static receiver *receivers = NULL;

static napi_value throw_errno(napi_env env, const char *syscall, int err) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", syscall, strerror(err));
  napi_value code, msg, error;
  napi_create_string_utf8(env, "ERR_SOCKET_SYSCALL", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, code, msg, &error);
  napi_value errnum, sys;
  napi_create_int32(env, err, &errnum);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys);
  napi_set_named_property(env, error, "errno", errnum);
  napi_set_named_property(env, error, "syscall", sys);
  napi_throw(env, error);
  return NULL;
}

static napi_value throw_usage(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG", message);
  return NULL;
}

static napi_value int32_value(napi_env env, int32_t n) {
  napi_value v;
  napi_create_int32(env, n, &v);
  return v;
}

static int int_arg(napi_env env, napi_value v, int32_t *out) {
  return napi_get_value_int32(env, v, out) == napi_ok;
}

/* The only argument of close, unwatchSignal and cancelConnectProbe: an int32. */
static int single_int_arg(napi_env env, napi_callback_info info, int32_t *out) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  return argc >= 1 && int_arg(env, argv[0], out);
}

static int buffer_arg(napi_env env, napi_value v, void **data, size_t *len) {
  bool is_buffer = false;
  napi_is_buffer(env, v, &is_buffer);
  return is_buffer && napi_get_buffer_info(env, v, data, len) == napi_ok;
}

/* socket(family, type, protocol) -> fd, non-blocking and close-on-exec. */
static napi_value js_socket(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t family, type, protocol;
  if (argc < 3 || !int_arg(env, argv[0], &family) || !int_arg(env, argv[1], &type) ||
      !int_arg(env, argv[2], &protocol))
    return throw_usage(env, "socket(family, type, protocol)");
  int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) return throw_errno(env, "socket", errno);
  return int32_value(env, fd);
}

/* setsockopt(fd, level, name, value): value is an int32 or a Buffer. */
static napi_value js_setsockopt(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd, level, name, number;
  void *data;
  size_t len;
  if (argc < 4 || !int_arg(env, argv[0], &fd) || !int_arg(env, argv[1], &level) ||
      !int_arg(env, argv[2], &name))
    return throw_usage(env, "setsockopt(fd, level, name, value)");
  int rc;
  if (int_arg(env, argv[3], &number)) {
    int v = number;
    rc = setsockopt(fd, level, name, &v, sizeof v);
  } else if (buffer_arg(env, argv[3], &data, &len)) {
    rc = setsockopt(fd, level, name, data, (socklen_t)len);
  } else {
    return throw_usage(env, "setsockopt value must be an integer or a Buffer");
  }
  if (rc < 0) return throw_errno(env, "setsockopt", errno);
  return NULL;
}

/* sendFrame(fd, ifindex, ethertype, destinationMac, payload): AF_PACKET/SOCK_DGRAM send; the
 * kernel writes the Ethernet header with the interface's own source address. */
static napi_value js_send_frame(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd, ifindex, ethertype;
  void *mac, *payload;
  size_t mac_len, payload_len;
  if (argc < 5 || !int_arg(env, argv[0], &fd) || !int_arg(env, argv[1], &ifindex) ||
      !int_arg(env, argv[2], &ethertype) || !buffer_arg(env, argv[3], &mac, &mac_len) ||
      mac_len != 6 || !buffer_arg(env, argv[4], &payload, &payload_len))
    return throw_usage(env, "sendFrame(fd, ifindex, ethertype, mac6, payload)");
  struct sockaddr_ll to;
  memset(&to, 0, sizeof to);
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons((uint16_t)ethertype);
  to.sll_ifindex = ifindex;
  to.sll_halen = 6;
  memcpy(to.sll_addr, mac, 6);
  if (sendto(fd, payload, payload_len, 0, (struct sockaddr *)&to, sizeof to) < 0)
    return throw_errno(env, "sendto", errno);
  return NULL;
}

/* Reads a textual IPv4 or IPv6 address argument into a sockaddr with `port` and, for IPv6,
 * `ifindex` as the scope; 0 when the argument is not a string holding an IP address. */
static socklen_t sockaddr_arg(napi_env env, napi_value v, int port, int ifindex, struct sockaddr_storage *to) {
  char address[INET6_ADDRSTRLEN];
  size_t address_len;
  if (napi_get_value_string_utf8(env, v, address, sizeof address, &address_len) != napi_ok) return 0;
  memset(to, 0, sizeof *to);
  struct sockaddr_in *v4 = (struct sockaddr_in *)to;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)to;
  if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    return sizeof *v4;
  }
  if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    v6->sin6_scope_id = (uint32_t)ifindex;
    return sizeof *v6;
  }
  return 0;
}

/* bind(fd, address, port): keepalived's checkers bind after setting SO_MARK and
 * SO_BINDTODEVICE (layer4.c socket_bind_connect); Node then adopts the bound descriptor. */
static napi_value js_bind(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd, port;
  if (argc < 3 || !int_arg(env, argv[0], &fd) || !int_arg(env, argv[2], &port) || port < 0 || port > 65535)
    return throw_usage(env, "bind(fd, address, port)");
  struct sockaddr_storage at;
  socklen_t at_len = sockaddr_arg(env, argv[1], port, 0, &at);
  if (at_len == 0) return throw_usage(env, "bind: not an IP address");
  if (bind(fd, (struct sockaddr *)&at, at_len) < 0) return throw_errno(env, "bind", errno);
  return NULL;
}

/* sendTo(fd, address, ifindex, payload): IPv4 or IPv6 by the address's form; ifindex scopes
 * link-local IPv6 destinations. */
static napi_value js_send_to(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd, ifindex;
  void *payload;
  size_t payload_len;
  if (argc < 4 || !int_arg(env, argv[0], &fd) || !int_arg(env, argv[2], &ifindex) ||
      !buffer_arg(env, argv[3], &payload, &payload_len))
    return throw_usage(env, "sendTo(fd, address, ifindex, payload)");
  struct sockaddr_storage to;
  socklen_t to_len = sockaddr_arg(env, argv[1], 0, ifindex, &to);
  if (to_len == 0) return throw_usage(env, "sendTo: not an IP address");
  if (sendto(fd, payload, payload_len, 0, (struct sockaddr *)&to, to_len) < 0)
    return throw_errno(env, "sendto", errno);
  return NULL;
}

/* Delivers one datagram as callback(data, source, ifindex, ttlOrHopLimit); -1 where the
 * ancillary data was not asked for with setsockopt. */
static void deliver(receiver *r, const unsigned char *data, ssize_t len, struct sockaddr_storage *from,
                    struct msghdr *msg) {
  int ifindex = -1, hops = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
      ifindex = ((struct in_pktinfo *)CMSG_DATA(c))->ipi_ifindex;
    else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
      hops = *(int *)CMSG_DATA(c);
    else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
      ifindex = (int)((struct in6_pktinfo *)CMSG_DATA(c))->ipi6_ifindex;
    else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)
      hops = *(int *)CMSG_DATA(c);
  }
  char source[INET6_ADDRSTRLEN] = "";
  if (from->ss_family == AF_INET)
    inet_ntop(AF_INET, &((struct sockaddr_in *)from)->sin_addr, source, sizeof source);
  else if (from->ss_family == AF_INET6)
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)from)->sin6_addr, source, sizeof source);

  napi_env env = r->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value argv[4], callback, global, result;
  void *copy;
  napi_create_buffer_copy(env, (size_t)len, data, &copy, &argv[0]);
  napi_create_string_utf8(env, source, NAPI_AUTO_LENGTH, &argv[1]);
  napi_create_int32(env, ifindex, &argv[2]);
  napi_create_int32(env, hops, &argv[3]);
  napi_get_reference_value(env, r->callback, &callback);
  napi_get_global(env, &global);
  napi_make_callback(env, r->async, global, callback, 4, argv, &result);
  napi_close_handle_scope(env, scope);
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  receiver *r = handle->data;
  if (status < 0 || !(events & UV_READABLE)) return;
  static unsigned char data[MAX_PACKET];
  unsigned char control[256];
  for (;;) {
    struct sockaddr_storage from;
    struct iovec iov = {data, sizeof data};
    struct msghdr msg = {&from, sizeof from, &iov, 1, control, sizeof control, 0};
    ssize_t n = recvmsg(r->fd, &msg, 0);
    if (n < 0) break; /* EAGAIN: drained; other errors surface on the next send */
    deliver(r, data, n, &from, &msg);
  }
}

static receiver *find_receiver(int fd) {
  for (receiver *r = receivers; r; r = r->next)
    if (r->fd == fd) return r;
  return NULL;
}

/* The (number, callback) arguments of startReceiving and watchSignal: argv[1] is the callback. */
static int number_and_callback(napi_env env, napi_callback_info info, napi_value argv[2], int32_t *number) {
  size_t argc = 2;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_valuetype type = napi_undefined;
  if (argc >= 2) napi_typeof(env, argv[1], &type);
  return argc >= 2 && int_arg(env, argv[0], number) && type == napi_function;
}

/* startReceiving(fd, callback): callback(data, source, ifindex, ttlOrHopLimit) per datagram. */
static napi_value js_start_receiving(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  if (!number_and_callback(env, info, argv, &fd)) return throw_usage(env, "startReceiving(fd, callback)");
  if (find_receiver(fd)) return throw_usage(env, "startReceiving: already receiving on this fd");
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  receiver *r = calloc(1, sizeof *r);
  r->fd = fd;
  r->env = env;
  int rc = uv_poll_init(loop, &r->poll, fd);
  if (rc < 0) {
    free(r);
    return throw_errno(env, "uv_poll_init", -rc);
  }
  r->poll.data = r;
  napi_create_reference(env, argv[1], 1, &r->callback);
  napi_value name;
  napi_create_string_utf8(env, "kts_native.receive", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &r->async);
  uv_poll_start(&r->poll, UV_READABLE, on_readable);
  r->next = receivers;
  receivers = r;
  return NULL;
}

static void free_receiver(uv_handle_t *handle) { free(handle->data); }

/* close(fd): stops receiving if it was, then closes the descriptor. */
static napi_value js_close(napi_env env, napi_callback_info info) {
  int32_t fd;
  if (!single_int_arg(env, info, &fd)) return throw_usage(env, "close(fd)");
  for (receiver **p = &receivers; *p; p = &(*p)->next) {
    receiver *r = *p;
    if (r->fd != fd) continue;
    *p = r->next;
    uv_poll_stop(&r->poll);
    napi_delete_reference(env, r->callback);
    napi_async_destroy(env, r->async);
    uv_close((uv_handle_t *)&r->poll, free_receiver);
    break;
  }
  if (close(fd) < 0) return throw_errno(env, "close", errno);
  return NULL;
}

/* One AF_UNIX datagram to `path` ('@' first names an abstract socket); returns errno or 0. */
static int unix_datagram(napi_env env, napi_value path, const void *data, size_t len, int flags) {
  struct sockaddr_un to;
  memset(&to, 0, sizeof to);
  to.sun_family = AF_UNIX;
  size_t path_len;
  if (napi_get_value_string_utf8(env, path, to.sun_path, sizeof to.sun_path, &path_len) != napi_ok ||
      path_len == 0 || path_len >= sizeof to.sun_path - 1)
    return EINVAL;
  if (to.sun_path[0] == '@') to.sun_path[0] = '\0';
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  socklen_t addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len);
  ssize_t sent = sendto(fd, data, len, flags | MSG_NOSIGNAL, (struct sockaddr *)&to, addr_len);
  int err = sent < 0 ? errno : 0;
  close(fd);
  return err;
}

/* notifyDatagram(path, text): how systemd's NOTIFY_SOCKET is spoken (Node has no datagram
 * Unix sockets). */
static napi_value js_notify_datagram(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char text[1024];
  size_t text_len;
  if (argc < 2 || napi_get_value_string_utf8(env, argv[1], text, sizeof text, &text_len) != napi_ok)
    return throw_usage(env, "notifyDatagram(path, text)");
  int err = unix_datagram(env, argv[0], text, text_len, 0);
  if (err == EINVAL) return throw_usage(env, "notifyDatagram(path, text)");
  if (err != 0) return throw_errno(env, "sendto", err);
  return NULL;
}

/* sendDatagram(path, payload) -> 0 or errno: a binary datagram that never blocks (journald's
 * native protocol); the caller falls back to its stream on EAGAIN, ENOENT or EMSGSIZE, so a
 * slow or absent journald cannot stall the daemon. */
static napi_value js_send_datagram(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *data;
  size_t len;
  if (argc < 2 || !buffer_arg(env, argv[1], &data, &len))
    return throw_usage(env, "sendDatagram(path, payload)");
  int err = unix_datagram(env, argv[0], data, len, MSG_DONTWAIT);
  return int32_value(env, err);
}

/* ifindex(name) -> index, or throws ENODEV. */
static napi_value js_ifindex(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char name[IF_NAMESIZE + 1];
  size_t len;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok)
    return throw_usage(env, "ifindex(name)");
  unsigned index = if_nametoindex(name);
  if (index == 0) return throw_errno(env, "if_nametoindex", errno);
  napi_value result;
  napi_create_uint32(env, index, &result);
  return result;
}

typedef struct signal_watch {
  uv_signal_t handle;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  struct signal_watch *next;
} signal_watch;

static signal_watch *signal_watches = NULL;

static void free_signal_watch(uv_handle_t *handle) { free(handle->data); }

static void on_signal(uv_signal_t *handle, int signum) {
  signal_watch *w = handle->data;
  napi_handle_scope scope;
  napi_open_handle_scope(w->env, &scope);
  napi_value callback, global, argv[1], result;
  napi_create_int32(w->env, signum, &argv[0]);
  napi_get_reference_value(w->env, w->callback, &callback);
  napi_get_global(w->env, &global);
  napi_make_callback(w->env, w->async, global, callback, 1, argv, &result);
  napi_close_handle_scope(w->env, scope);
}

/* watchSignal(signum, callback): libuv's handler (a self-pipe to the loop) replaces the default
 * action; callback(signum) runs on the main loop. The watch does not keep the process alive. */
static napi_value js_watch_signal(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t signum;
  if (!number_and_callback(env, info, argv, &signum)) return throw_usage(env, "watchSignal(signum, callback)");
  for (signal_watch *w = signal_watches; w; w = w->next)
    if (w->handle.signum == signum) return throw_usage(env, "watchSignal: already watching this signal");
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  signal_watch *w = calloc(1, sizeof *w);
  w->env = env;
  uv_signal_init(loop, &w->handle);
  w->handle.data = w;
  int rc = uv_signal_start(&w->handle, on_signal, signum);
  if (rc < 0) {
    uv_close((uv_handle_t *)&w->handle, free_signal_watch);
    return throw_errno(env, "uv_signal_start", -rc);
  }
  uv_unref((uv_handle_t *)&w->handle);
  napi_create_reference(env, argv[1], 1, &w->callback);
  napi_value name;
  napi_create_string_utf8(env, "kts_native.signal", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &w->async);
  w->next = signal_watches;
  signal_watches = w;
  return NULL;
}

/* unwatchSignal(signum): the default action again. */
static napi_value js_unwatch_signal(napi_env env, napi_callback_info info) {
  int32_t signum;
  if (!single_int_arg(env, info, &signum)) return throw_usage(env, "unwatchSignal(signum)");
  for (signal_watch **p = &signal_watches; *p; p = &(*p)->next) {
    signal_watch *w = *p;
    if (w->handle.signum != signum) continue;
    *p = w->next;
    uv_signal_stop(&w->handle);
    napi_delete_reference(env, w->callback);
    napi_async_destroy(env, w->async);
    uv_close((uv_handle_t *)&w->handle, free_signal_watch);
    break;
  }
  return NULL;
}

/* connectProbe: check_tcp.c tcp_connect_thread()/tcp_check_thread() without the rest of
 * keepalived's thread machinery. The descriptor (non-blocking, options set and bound by the
 * caller) is connected; writability or the deadline ends the probe, SO_ERROR says how, and the
 * descriptor is closed here. At thousands of probes a second the per-probe costs are what count,
 * so a probe is one poll handle and nothing else: deadlines are a list in deadline order under
 * one timer (probes with one connect_timeout end in the order they started, so inserting is
 * O(1) from the tail), and outcomes are collected and handed to the one callback registered
 * with onConnectProbe(callback) once per loop iteration, as an Int32Array of (id, code) pairs:
 * code 0 connected, CONNECT_TIMEOUT at the deadline, otherwise the errno. */
#define CONNECT_TIMEOUT (-1)

typedef struct connect_probe {
  uv_poll_t poll;
  int fd;
  int32_t id;
  uint64_t deadline; /* on the loop's clock (uv_now), ms */
  struct connect_probe *earlier, *later;
} connect_probe;

static napi_env probe_env;
static napi_ref probe_callback;
static napi_async_context probe_async;
static uv_loop_t *probe_loop;
/* probes in flight by id; an id is reused only after JS has been told its outcome, so a late
 * outcome can never be taken for a newer probe's */
static connect_probe **probe_slots;
static int32_t probe_capacity;
static int32_t *free_ids;
static int32_t free_count;
static int32_t next_id;
/* probes in flight in deadline order, and the one timer for the earliest */
static connect_probe *first_deadline, *last_deadline;
static uv_timer_t deadline_timer;
static uint64_t timer_at; /* 0: not armed */
/* outcomes not yet handed to JS: (id, code) pairs, flushed by a check handle after the poll phase */
static int32_t *outcomes;
static int32_t outcome_count;
static uv_check_t flush_check;

static void free_probe_handle(uv_handle_t *handle) { free(handle->data); }

static void unlink_deadline(connect_probe *p) {
  if (p->earlier) p->earlier->later = p->later;
  else first_deadline = p->later;
  if (p->later) p->later->earlier = p->earlier;
  else last_deadline = p->earlier;
}

static void on_deadlines(uv_timer_t *handle);
static void flush_outcomes(uv_check_t *handle);

/* Arms the timer for the earliest deadline unless it is armed for that time or sooner; a timer
 * that fires for a probe already gone just re-arms. */
static void arm_deadline(uint64_t at) {
  if (timer_at != 0 && timer_at <= at) return;
  timer_at = at;
  uint64_t now = uv_now(probe_loop);
  uv_timer_start(&deadline_timer, on_deadlines, at > now ? at - now : 0, 0);
}

/* Ends a probe once: uv_close before close(), as libuv's own streams do, so the descriptor
 * leaves epoll first. The id stays taken until its outcome is flushed (or, cancelled, now). */
static void end_probe(connect_probe *p) {
  probe_slots[p->id] = NULL;
  unlink_deadline(p);
  uv_close((uv_handle_t *)&p->poll, free_probe_handle);
  close(p->fd);
}

static void report_probe(connect_probe *p, int code) {
  /* room is there: a pair per taken id, and an id stays taken until its pair is flushed */
  outcomes[outcome_count++] = p->id;
  outcomes[outcome_count++] = code;
  if (outcome_count == 2) uv_check_start(&flush_check, flush_outcomes);
  end_probe(p);
}

static void flush_outcomes(uv_check_t *handle) {
  (void)handle;
  int32_t count = outcome_count;
  uv_check_stop(&flush_check);
  if (count == 0) return;
  napi_env env = probe_env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  void *data;
  napi_value buffer, array, callback, global, result;
  napi_create_arraybuffer(env, (size_t)count * sizeof(int32_t), &data, &buffer);
  memcpy(data, outcomes, (size_t)count * sizeof(int32_t));
  outcome_count = 0;
  napi_create_typedarray(env, napi_int32_array, (size_t)count, buffer, 0, &array);
  napi_get_reference_value(env, probe_callback, &callback);
  napi_get_global(env, &global);
  napi_make_callback(env, probe_async, global, callback, 1, &array, &result);
  napi_close_handle_scope(env, scope);
  /* only now may the ids be taken again: JS has heard of them (no outcome is collected while JS
   * runs, so the first `count` entries are still this batch's) */
  for (int32_t i = 0; i < count; i += 2) free_ids[free_count++] = outcomes[i];
}

static void on_probe_writable(uv_poll_t *handle, int status, int events) {
  (void)events;
  connect_probe *p = handle->data;
  int err = 0;
  socklen_t len = sizeof err;
  /* libuv reports POLLERR (a refused connect) as UV_EBADF: the reason is in SO_ERROR */
  if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
  if (err == 0 && status < 0) err = -status;
  report_probe(p, err);
}

/* libuv runs expired timers before it polls, so after a loop iteration that ran long (a start-up
 * programming thousands of IPVS entries) a probe whose connection opened in time would be called
 * a timeout before its writability is seen: the descriptor is asked first, without waiting. */
static void on_deadlines(uv_timer_t *handle) {
  (void)handle;
  timer_at = 0;
  uint64_t now = uv_now(probe_loop);
  while (first_deadline && first_deadline->deadline <= now) {
    struct pollfd ready = {.fd = first_deadline->fd, .events = POLLOUT};
    if (poll(&ready, 1, 0) == 1) on_probe_writable(&first_deadline->poll, 0, UV_WRITABLE);
    else report_probe(first_deadline, CONNECT_TIMEOUT);
  }
  if (first_deadline) arm_deadline(first_deadline->deadline);
}

static int32_t take_probe_id(void) {
  if (free_count > 0) return free_ids[--free_count];
  if (next_id == probe_capacity) {
    int32_t capacity = probe_capacity ? probe_capacity * 2 : 1024;
    connect_probe **slots = realloc(probe_slots, (size_t)capacity * sizeof *slots);
    if (slots) probe_slots = slots;
    int32_t *ids = realloc(free_ids, (size_t)capacity * sizeof *ids);
    if (ids) free_ids = ids;
    int32_t *pairs = realloc(outcomes, (size_t)capacity * 2 * sizeof *pairs);
    if (pairs) outcomes = pairs;
    if (!slots || !ids || !pairs) return -1;
    probe_capacity = capacity;
  }
  return next_id++;
}

/* onConnectProbe(callback): where every probe's outcome goes, as an Int32Array of (id, code)
 * pairs. One callback for the process, kept with its env: probes run on the main thread only,
 * like the checker service. */
static napi_value js_on_connect_probe(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_valuetype type = napi_undefined;
  if (argc >= 1) napi_typeof(env, argv[0], &type);
  if (type != napi_function) return throw_usage(env, "onConnectProbe(callback)");
  if (probe_callback) napi_delete_reference(env, probe_callback);
  else {
    napi_value name;
    napi_create_string_utf8(env, "kts_native.connectProbe", NAPI_AUTO_LENGTH, &name);
    napi_async_init(env, NULL, name, &probe_async);
    napi_get_uv_event_loop(env, &probe_loop);
    /* neither keeps the process alive: the probes' poll handles do while any is in flight */
    uv_timer_init(probe_loop, &deadline_timer);
    uv_unref((uv_handle_t *)&deadline_timer);
    uv_check_init(probe_loop, &flush_check);
    uv_unref((uv_handle_t *)&flush_check);
  }
  probe_env = env;
  napi_create_reference(env, argv[0], 1, &probe_callback);
  return NULL;
}

/* A probe that could not start: its descriptor is closed and JS gets -errno. */
static napi_value refuse_probe(napi_env env, int fd, int err) {
  close(fd);
  return int32_value(env, -err);
}

/* connectProbe(fd, address, port, timeoutMs) -> id >= 0, or -errno when connect() failed at
 * once (ENETUNREACH, EADDRNOTAVAIL, ...). Either way the descriptor is now ours to close. */
static napi_value js_connect_probe(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd, port;
  double timeout_ms;
  if (argc < 4 || !probe_callback || !int_arg(env, argv[0], &fd) || !int_arg(env, argv[2], &port) || port < 0 ||
      port > 65535 || napi_get_value_double(env, argv[3], &timeout_ms) != napi_ok)
    return throw_usage(env, "connectProbe(fd, address, port, timeoutMs) after onConnectProbe(callback)");
  struct sockaddr_storage to;
  socklen_t to_len = sockaddr_arg(env, argv[1], port, 0, &to);
  if (to_len == 0) return refuse_probe(env, fd, EINVAL);
  if (connect(fd, (struct sockaddr *)&to, to_len) < 0 && errno != EINPROGRESS) return refuse_probe(env, fd, errno);
  int32_t id = take_probe_id();
  connect_probe *p = id >= 0 ? calloc(1, sizeof *p) : NULL;
  if (!p) {
    if (id >= 0) free_ids[free_count++] = id;
    return refuse_probe(env, fd, ENOMEM);
  }
  int rc = uv_poll_init(probe_loop, &p->poll, fd);
  if (rc < 0) {
    free(p);
    free_ids[free_count++] = id;
    return refuse_probe(env, fd, -rc);
  }
  p->fd = fd;
  p->id = id;
  p->poll.data = p;
  /* the deadline rounds up to whole ms of the loop's clock, as a uv_timer of that length would */
  uint64_t wait = timeout_ms > 0 ? (uint64_t)timeout_ms + (timeout_ms > (uint64_t)timeout_ms) : 0;
  p->deadline = uv_now(probe_loop) + wait;
  connect_probe *before = last_deadline;
  while (before && before->deadline > p->deadline) before = before->earlier;
  p->earlier = before;
  p->later = before ? before->later : first_deadline;
  if (p->later) p->later->earlier = p;
  else last_deadline = p;
  if (before) before->later = p;
  else first_deadline = p;
  probe_slots[id] = p;
  /* a connect that completed at once reports writable on the first poll */
  uv_poll_start(&p->poll, UV_WRITABLE, on_probe_writable);
  arm_deadline(p->deadline);
  return int32_value(env, id);
}

/* cancelConnectProbe(id): ends a probe in flight without an outcome; an id whose outcome is
 * already collected or reported is ignored. */
static napi_value js_cancel_connect_probe(napi_env env, napi_callback_info info) {
  int32_t id;
  if (!single_int_arg(env, info, &id)) return throw_usage(env, "cancelConnectProbe(id)");
  if (id >= 0 && id < next_id && probe_slots[id]) {
    end_probe(probe_slots[id]);
    free_ids[free_count++] = id;
  }
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"socket", NULL, js_socket, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setsockopt", NULL, js_setsockopt, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendFrame", NULL, js_send_frame, NULL, NULL, NULL, napi_enumerable, NULL},
      {"bind", NULL, js_bind, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendTo", NULL, js_send_to, NULL, NULL, NULL, napi_enumerable, NULL},
      {"startReceiving", NULL, js_start_receiving, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"notifyDatagram", NULL, js_notify_datagram, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendDatagram", NULL, js_send_datagram, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ifindex", NULL, js_ifindex, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchSignal", NULL, js_watch_signal, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unwatchSignal", NULL, js_unwatch_signal, NULL, NULL, NULL, napi_enumerable, NULL},
      {"onConnectProbe", NULL, js_on_connect_probe, NULL, NULL, NULL, napi_enumerable, NULL},
      {"connectProbe", NULL, js_connect_probe, NULL, NULL, NULL, napi_enumerable, NULL},
      {"cancelConnectProbe", NULL, js_cancel_connect_probe, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
