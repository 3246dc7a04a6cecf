/*
 * A stand-in for the kernel's IPVS generic-netlink family, preloaded into Debian's ipvsadm so that
 * it runs on a machine without IPVS. It replaces the libnl calls libipvs makes per request:
 *
 *   genl_connect, genl_ctrl_resolve   succeed (family 99)
 *   nl_socket_modify_cb / _err_cb     remember libipvs's reply and error callbacks
 *   nl_send_auto_complete             remember the request; append "CMD DUMP HEX" to $FAKE_IPVS_LOG
 *   nl_recvmsgs_default               answer it: GET_INFO with IPVS 1.2.1 (size=4096); other
 *                                     requests from $FAKE_IPVS_STATE; with $FAKE_IPVS_ERRNO set,
 *                                     every request but GET_INFO fails with that errno
 *
 * $FAKE_IPVS_STATE holds one reply per line, "KIND KEY HEX": HEX is the genetlink payload after
 * the genetlink header. KIND S answers GET_SERVICE (all of them for a dump, else the one whose KEY
 * matches, ESRCH if none does), D answers GET_DEST for the service KEY, T answers GET_TIMEOUT, M answers GET_DAEMON.
 * KEY is the hex of the service-naming attributes (AF, PROTOCOL, ADDR, PORT, FWMARK) of a request,
 * each followed by a dot. With $FAKE_IPVS_CONN set, opening /proc/net/ip_vs_conn opens that file
 * instead. Test-only; built by the ipvsadm oracle test.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

struct nl_sock;
struct nl_msg;
struct sockaddr_nl;
typedef int (*msg_cb)(struct nl_msg *, void *);
typedef int (*err_cb)(struct sockaddr_nl *, struct nlmsgerr *, void *);
extern struct nl_msg *nlmsg_alloc(void);
extern void *genlmsg_put(struct nl_msg *, uint32_t, uint32_t, int, int, int, uint8_t, uint8_t);
extern int nlmsg_append(struct nl_msg *, void *, size_t, int);
extern struct nlmsghdr *nlmsg_hdr(struct nl_msg *);
extern void nlmsg_free(struct nl_msg *);

enum { CMD_GET_SERVICE = 4, CMD_GET_DEST = 8, CMD_GET_DAEMON = 11, CMD_GET_TIMEOUT = 13, CMD_SET_INFO = 14, CMD_GET_INFO = 15 };

static msg_cb reply_cb;
static void *reply_arg;
static err_cb error_cb;
static void *error_arg;
static unsigned char request[65536];
static int request_len;

FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real_fopen)(const char *, const char *);
	const char *conn = getenv("FAKE_IPVS_CONN");
	if (!real_fopen)
		real_fopen = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	if (conn && !strcmp(path, "/proc/net/ip_vs_conn"))
		path = conn;
	return real_fopen(path, mode);
}

int genl_connect(struct nl_sock *s) { (void)s; return 0; }
int genl_ctrl_resolve(struct nl_sock *s, const char *name) { (void)s; (void)name; return 99; }

int nl_socket_modify_cb(struct nl_sock *s, int type, int kind, msg_cb f, void *arg)
{
	(void)s; (void)type; (void)kind;
	reply_cb = f;
	reply_arg = arg;
	return 0;
}

int nl_socket_modify_err_cb(struct nl_sock *s, int kind, err_cb f, void *arg)
{
	(void)s; (void)kind;
	error_cb = f;
	error_arg = arg;
	return 0;
}

int nl_send_auto_complete(struct nl_sock *s, struct nl_msg *m)
{
	(void)s;
	struct nlmsghdr *h = nlmsg_hdr(m);
	request_len = (int)h->nlmsg_len;
	memcpy(request, h, (size_t)request_len);
	const char *log = getenv("FAKE_IPVS_LOG");
	if (log) {
		FILE *f = fopen(log, "a");
		struct genlmsghdr *g = NLMSG_DATA(h);
		unsigned char *p = (unsigned char *)(g + 1);
		int n = request_len - NLMSG_HDRLEN - GENL_HDRLEN;
		fprintf(f, "%d %d ", g->cmd, (h->nlmsg_flags & NLM_F_DUMP) ? 1 : 0);
		for (int i = 0; i < n; i++)
			fprintf(f, "%02x", p[i]);
		fprintf(f, "\n");
		fclose(f);
	}
	return request_len;
}

static int hexval(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

/* The KEY of the service a request names (see above). */
static void request_key(char *out)
{
	struct nlmsghdr *h = (struct nlmsghdr *)request;
	unsigned char *p = (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
	unsigned char *end = request + request_len;
	out[0] = 0;
	while (p + 4 <= end) {
		uint16_t len = *(uint16_t *)p, type = *(uint16_t *)(p + 2) & 0x3fff;
		if (len < 4)
			break;
		if (type == 1) {
			unsigned char *q = p + 4, *qe = p + len;
			while (q + 4 <= qe) {
				uint16_t l = *(uint16_t *)q, t = *(uint16_t *)(q + 2);
				if (l < 4)
					break;
				if (t >= 1 && t <= 5) {
					for (int i = 4; i < l; i++)
						sprintf(out + strlen(out), "%02x", q[i]);
					strcat(out, ".");
				}
				q += (l + 3) & ~3;
			}
		}
		p += (len + 3) & ~3;
	}
}

static void reply(int cmd, const char *hex)
{
	struct nl_msg *m = nlmsg_alloc();
	size_t n = strlen(hex) / 2;
	unsigned char *bytes = malloc(n + 1);
	genlmsg_put(m, 0, 0, 99, 0, 0, (uint8_t)cmd, 1);
	for (size_t i = 0; i < n; i++)
		bytes[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
	nlmsg_append(m, bytes, n, 4);
	free(bytes);
	reply_cb(m, reply_arg);
	nlmsg_free(m);
}

int nl_recvmsgs_default(struct nl_sock *s)
{
	(void)s;
	struct nlmsghdr *h = (struct nlmsghdr *)request;
	struct genlmsghdr *g = NLMSG_DATA(h);
	const char *errno_text = getenv("FAKE_IPVS_ERRNO");
	if (g->cmd == CMD_GET_INFO) {
		/* VERSION 0x010201, CONN_TAB_SIZE 4096 */
		reply(CMD_SET_INFO, "08000100010201000800020000100000");
		return 0;
	}
	if (errno_text) {
		struct nlmsgerr e;
		memset(&e, 0, sizeof e);
		e.error = -atoi(errno_text);
		error_cb(NULL, &e, error_arg);
		return -1;
	}
	const char *state = getenv("FAKE_IPVS_STATE");
	FILE *f = state ? fopen(state, "r") : NULL;
	if (!f)
		return 0;
	char key[1024];
	static char line[1 << 16];
	int answered = 0;
	request_key(key);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char kind = line[0];
		char *k = line + 2, *space = strchr(k, ' ');
		if (!space)
			continue;
		*space = 0;
		if (g->cmd == CMD_GET_SERVICE && kind == 'S' && ((h->nlmsg_flags & NLM_F_DUMP) || !strcmp(k, key))) {
			reply(CMD_GET_SERVICE, space + 1);
			answered = 1;
		}
		else if (g->cmd == CMD_GET_DEST && kind == 'D' && !strcmp(k, key))
			reply(CMD_GET_DEST, space + 1);
		else if (g->cmd == CMD_GET_TIMEOUT && kind == 'T')
			reply(CMD_GET_TIMEOUT, space + 1);
		else if (g->cmd == CMD_GET_DAEMON && kind == 'M')
			reply(CMD_GET_DAEMON, space + 1);
	}
	fclose(f);
	if (g->cmd == CMD_GET_SERVICE && !(h->nlmsg_flags & NLM_F_DUMP) && !answered) {
		/* the kernel's answer for a service it does not have */
		struct nlmsgerr e;
		memset(&e, 0, sizeof e);
		e.error = -3;
		error_cb(NULL, &e, error_arg);
		return -1;
	}
	return 0;
}
