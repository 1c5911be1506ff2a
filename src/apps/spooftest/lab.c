/*
 * lab.c — the namespaces of `manrs spooftest` (docs/spooftest.md):
 *
 *   mrs<pid>-host   hc ---- ch   mrs<pid>-ce   cp ---- pc   mrs<pid>-pe   po ---- op   mrs<pid>-col
 *                                                              x1 ---- x2 (stub: the other customer)
 *
 * Every interface is made inside the lab's namespaces (`ip -n NS link add ...
 * peer ... netns NS2`), never in ours: deleting the namespaces deletes them all.
 * Commands are run with fork and exec (no shell), in their own process group (a
 * terminal's ^C reaches only us, and we tear down), killed if we die. Sockets
 * are opened after setns(2) into a namespace and stay there when we come back.
 */
#define _GNU_SOURCE   /* setns */
#include "lab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include "manrs/apps/spooftest.h"

#define NETNS_DIR "/var/run/netns/"

static const char *const ROLE[LAB_NNS] = {"host", "ce", "pe", "col"};

void lab_init(lab *l, unsigned pid, bool progress)
{
    memset(l, 0, sizeof *l);
    snprintf(l->pfx, sizeof l->pfx, "mrs%u", pid);
    for (int i = 0; i < LAB_NNS; i++)
        snprintf(l->ns[i], sizeof l->ns[i], "%s-%s", l->pfx, ROLE[i]);
    snprintf(l->pe_customer_if, sizeof l->pe_customer_if, "%spc", l->pfx);
    l->orig_ns = l->raw4 = l->raw6 = l->udp4 = l->udp6 = -1;
    l->progress = progress;
}

/* ---------------------------------------------------------------- commands */

static void child_exec(char *const argv[], const char *ns, int in_fd, int err_fd)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (ns) {
        char path[96];
        snprintf(path, sizeof path, NETNS_DIR "%s", ns);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
            dprintf(err_fd, "cannot enter the namespace %s: %s\n", ns, strerror(errno));
            _exit(126);
        }
    }
    int null = open("/dev/null", O_RDWR);
    dup2(in_fd >= 0 ? in_fd : null, 0);
    dup2(null, 1);
    dup2(err_fd, 2);
    execvp(argv[0], argv);
    /* root's PATH may lack the sbin directories (sudo, cron) */
    char path[64];
    snprintf(path, sizeof path, "/usr/sbin/%s", argv[0]);
    execv(path, argv);
    snprintf(path, sizeof path, "/sbin/%s", argv[0]);
    execv(path, argv);
    dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Run argv (NULL-terminated varargs), in namespace ns (NULL: ours), with input
 * on its standard input. Returns its exit status (0 ok), -1 if it could not be
 * started; err: the command and the first line it wrote on stderr. */
static int run(const char *ns, const char *input, char *err, size_t errlen, const char *arg0, ...)
{
    char *argv[40];
    int argc = 0;
    va_list ap;
    va_start(ap, arg0);
    for (const char *a = arg0; a && argc < 39; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    int ep[2], ip[2] = {-1, -1};
    if (pipe2(ep, O_CLOEXEC) < 0 || (input && pipe2(ip, O_CLOEXEC) < 0)) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(ep[0]);
        close(ep[1]);
        if (input) {
            close(ip[0]);
            close(ip[1]);
        }
        return -1;
    }
    if (pid == 0)
        child_exec(argv, ns, ip[0], ep[1]);
    close(ep[1]);
    if (input) {
        close(ip[0]);
        size_t len = strlen(input), off = 0;
        while (off < len) {
            ssize_t w = write(ip[1], input + off, len - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        close(ip[1]);
    }
    char msg[512];
    size_t n = 0;
    for (;;) {
        char buf[512];
        ssize_t r = read(ep[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        for (ssize_t i = 0; i < r && n + 1 < sizeof msg; i++)
            msg[n++] = buf[i];
    }
    close(ep[0]);
    msg[n] = 0;
    char *nl = strchr(msg, '\n');
    if (nl)
        *nl = 0;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return -1;
        }
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    if (rc != 0) {
        char cmd[200];
        size_t k = 0;
        cmd[0] = 0;
        for (int i = 0; i < argc && k + 2 < sizeof cmd; i++)
            k += (size_t)snprintf(cmd + k, sizeof cmd - k, "%s%s", i ? " " : "", argv[i]);
        snprintf(err, errlen, "`%.150s`%s%s: %s", cmd, ns ? " in " : "", ns ? ns : "",
                 msg[0] ? msg : "failed without a message");
    }
    return rc;
}

/* ---------------------------------------------------------------- namespaces */

static int enter(lab *l, int i)
{
    char path[96];
    snprintf(path, sizeof path, NETNS_DIR "%s", l->ns[i]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = setns(fd, CLONE_NEWNET);
    close(fd);
    return rc;
}

static int back(lab *l) { return setns(l->orig_ns, CLONE_NEWNET); }

static int put(const char *path, const char *v)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t w = write(fd, v, strlen(v));
    close(fd);
    return w == (ssize_t)strlen(v) ? 0 : -1;
}

/* Forwarding on, reverse-path filtering off everywhere (only the run's filter
 * acts), no duplicate address detection (addresses usable at once). The
 * interfaces exist already and are still down. */
static int sysctls(lab *l, int i, char *err, size_t errlen)
{
    if (enter(l, i) < 0) {
        snprintf(err, errlen, "cannot enter %s: %s", l->ns[i], strerror(errno));
        return -1;
    }
    int rc = 0;
    static const char *const one[] = {"/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv6/conf/all/forwarding"};
    for (size_t k = 0; k < 2 && rc == 0; k++)
        if (put(one[k], "1") < 0) {
            snprintf(err, errlen, "%s in %s: %s", one[k], l->ns[i], strerror(errno));
            rc = -1;
        }
    /* per interface (and all, default): rp_filter 0; accept_dad 0, or the
     * link-local addresses stay tentative for a second and neighbour discovery
     * waits for them */
    static const char *const zero[][2] = {{"/proc/sys/net/ipv4/conf", "rp_filter"},
                                          {"/proc/sys/net/ipv6/conf", "accept_dad"}};
    for (size_t z = 0; z < 2 && rc == 0; z++) {
        DIR *d = opendir(zero[z][0]);
        for (struct dirent *e; d && rc == 0 && (e = readdir(d));) {
            if (e->d_name[0] == '.')
                continue;
            char p[300];
            snprintf(p, sizeof p, "%s/%s/%s", zero[z][0], e->d_name, zero[z][1]);
            if (put(p, "0") < 0) {
                snprintf(err, errlen, "%s in %s: %s", p, l->ns[i], strerror(errno));
                rc = -1;
            }
        }
        if (d)
            closedir(d);
    }
    if (back(l) < 0) {
        snprintf(err, errlen, "cannot return to our own network namespace: %s", strerror(errno));
        rc = -1;
    }
    return rc;
}

int mrs_st_cleanup_stale(void)
{
    DIR *d = opendir(NETNS_DIR);
    if (!d)
        return 0;
    char names[64][64];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 64;) {
        unsigned pid;
        char role[8];
        int used = 0;
        if (sscanf(e->d_name, "mrs%u-%7[a-z]%n", &pid, role, &used) != 2 || e->d_name[used] ||
            strlen(e->d_name) >= sizeof names[0])
            continue;
        bool known = false;
        for (int i = 0; i < LAB_NNS; i++)
            known |= !strcmp(role, ROLE[i]);
        if (!known || pid == (unsigned)getpid() || pid == 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);   /* length checked above */
    }
    closedir(d);
    int removed = 0;
    for (int i = 0; i < n; i++) {
        char err[256];
        if (run(NULL, NULL, err, sizeof err, "ip", "netns", "del", names[i], NULL) == 0)
            removed++;
    }
    return removed;
}

/* the interface names: mrs<pid> + two letters (at most 3 + 7 + 2 < IFNAMSIZ) */
static void ifn(const lab *l, char out[20], const char *suffix) { snprintf(out, 20, "%s%s", l->pfx, suffix); }

#define RUN(ns, ...)                                                                                                   \
    do {                                                                                                               \
        if (run((ns), NULL, err, errlen, __VA_ARGS__, NULL) != 0)                                                      \
            return -1;                                                                                                 \
    } while (0)

static int addresses_routes(lab *l, char *err, size_t errlen)
{
    const char *H = l->ns[LAB_HOST], *C = l->ns[LAB_CE], *P = l->ns[LAB_PE], *O = l->ns[LAB_COL];
    char hc[20], ch[20], cp[20], pc[20], po[20], op[20], x1[20], x2[20];
    ifn(l, hc, "hc"), ifn(l, ch, "ch"), ifn(l, cp, "cp"), ifn(l, pc, "pc"), ifn(l, po, "po"), ifn(l, op, "op");
    ifn(l, x1, "x1"), ifn(l, x2, "x2");
    /* host: the customer's LAN in prefix 1 */
    RUN(H, "ip", "addr", "add", "198.18.0.10/24", "dev", hc);
    RUN(H, "ip", "-6", "addr", "add", "2001:db8::10/64", "dev", hc, "nodad");
    RUN(C, "ip", "addr", "add", "198.18.0.1/24", "dev", ch);
    RUN(C, "ip", "-6", "addr", "add", "2001:db8::1/64", "dev", ch, "nodad");
    /* ce -- pe: the interconnect */
    RUN(C, "ip", "addr", "add", "198.19.255.1/30", "dev", cp);
    RUN(C, "ip", "-6", "addr", "add", "2001:db8:ffff:1::1/64", "dev", cp, "nodad");
    RUN(P, "ip", "addr", "add", "198.19.255.2/30", "dev", pc);
    RUN(P, "ip", "-6", "addr", "add", "2001:db8:ffff:1::2/64", "dev", pc, "nodad");
    /* pe -- col: upstream, the rest of the lab's Internet */
    RUN(P, "ip", "addr", "add", "198.19.255.5/30", "dev", po);
    RUN(P, "ip", "-6", "addr", "add", "2001:db8:ffff:2::1/64", "dev", po, "nodad");
    RUN(O, "ip", "addr", "add", "198.19.255.6/30", "dev", op);
    RUN(O, "ip", "-6", "addr", "add", "2001:db8:ffff:2::2/64", "dev", op, "nodad");
    struct {
        int ns;
        const char *dev;
    } up[] = {{LAB_HOST, "lo"}, {LAB_CE, "lo"}, {LAB_PE, "lo"}, {LAB_COL, "lo"}, {LAB_HOST, hc}, {LAB_CE, ch},
              {LAB_CE, cp},     {LAB_PE, pc},   {LAB_PE, po},   {LAB_PE, x1},   {LAB_PE, x2},   {LAB_COL, op}};
    for (size_t i = 0; i < sizeof up / sizeof up[0]; i++)
        RUN(l->ns[up[i].ns], "ip", "link", "set", up[i].dev, "up");
    RUN(H, "ip", "route", "add", "default", "via", "198.18.0.1");
    RUN(H, "ip", "-6", "route", "add", "default", "via", "2001:db8::1");
    RUN(C, "ip", "route", "add", "default", "via", "198.19.255.2");
    RUN(C, "ip", "-6", "route", "add", "default", "via", "2001:db8:ffff:1::2");
    /* pe: no default route (a provider edge with the full table): loose uRPF
     * then drops what nobody routes. Prefix 1 back to the customer; prefix 2 the
     * customer announces through its other provider too and pe prefers that
     * path (upstream, towards col): the asymmetric route. */
    RUN(P, "ip", "route", "add", "198.18.0.0/24", "via", "198.19.255.1");
    RUN(P, "ip", "-6", "route", "add", "2001:db8::/48", "via", "2001:db8:ffff:1::1");
    RUN(P, "ip", "route", "add", "198.18.2.0/24", "via", "198.19.255.6");
    RUN(P, "ip", "-6", "route", "add", "2001:db8:2::/48", "via", "2001:db8:ffff:2::2");
    RUN(P, "ip", "route", "add", "198.18.1.0/24", "via", "198.19.255.6");
    RUN(P, "ip", "-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8:ffff:2::2");
    RUN(P, "ip", "route", "add", "198.18.64.0/24", "dev", x1);
    RUN(P, "ip", "-6", "route", "add", "2001:db8:40::/48", "dev", x1);
    /* col never answers: no route back needed */
    return 0;
}

static int sock_in(lab *l, int ns, int domain, int type, int proto)
{
    if (enter(l, ns) < 0)
        return -1;
    int fd = socket(domain, type | SOCK_CLOEXEC, proto);
    int e = errno;
    if (back(l) < 0) {
        if (fd >= 0)
            close(fd);
        return -2;
    }
    errno = e;
    return fd;
}

static int sockets(lab *l, char *err, size_t errlen)
{
    const mrs_st_addrs *a = mrs_st_lab_addrs();
    l->raw4 = sock_in(l, LAB_HOST, AF_INET, SOCK_RAW, IPPROTO_RAW);   /* IPPROTO_RAW: IP_HDRINCL implied */
    l->raw6 = sock_in(l, LAB_HOST, AF_INET6, SOCK_RAW, IPPROTO_RAW);  /* our own IPv6 header (Linux >= 4.5) */
    l->udp4 = sock_in(l, LAB_COL, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    l->udp6 = sock_in(l, LAB_COL, AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (l->raw4 < 0 || l->raw6 < 0 || l->udp4 < 0 || l->udp6 < 0) {
        snprintf(err, errlen, "cannot open the probe or collector sockets in the lab: %s", strerror(errno));
        return -1;
    }
    int on = 1, buf = 1 << 20;
    setsockopt(l->udp6, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    setsockopt(l->udp4, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    setsockopt(l->udp6, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    struct sockaddr_in s4;
    memset(&s4, 0, sizeof s4);
    s4.sin_family = AF_INET;
    s4.sin_port = htons(a->port);
    struct sockaddr_in6 s6;
    memset(&s6, 0, sizeof s6);
    s6.sin6_family = AF_INET6;
    s6.sin6_port = htons(a->port);
    if (bind(l->udp4, (struct sockaddr *)&s4, sizeof s4) < 0 || bind(l->udp6, (struct sockaddr *)&s6, sizeof s6) < 0) {
        snprintf(err, errlen, "cannot bind the collector to UDP port %u: %s", a->port, strerror(errno));
        return -1;
    }
    return 0;
}

int lab_up(lab *l, char *err, size_t errlen)
{
    if (geteuid() != 0) {
        snprintf(err, errlen, "not root: making network namespaces needs CAP_SYS_ADMIN and CAP_NET_ADMIN");
        return 1;
    }
    l->orig_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (l->orig_ns < 0) {
        snprintf(err, errlen, "cannot open /proc/self/ns/net: %s", strerror(errno));
        return 1;
    }
    for (int i = 0; i < LAB_NNS; i++) {
        if (run(NULL, NULL, err, errlen, "ip", "netns", "add", l->ns[i], NULL) != 0)
            return 1;   /* no netns (or no ip): the lab cannot be built here */
        l->made[i] = true;
    }
    char hc[20], ch[20], cp[20], pc[20], po[20], op[20], x1[20], x2[20];
    ifn(l, hc, "hc"), ifn(l, ch, "ch"), ifn(l, cp, "cp"), ifn(l, pc, "pc"), ifn(l, po, "po"), ifn(l, op, "op");
    ifn(l, x1, "x1"), ifn(l, x2, "x2");
    const char *H = l->ns[LAB_HOST], *C = l->ns[LAB_CE], *P = l->ns[LAB_PE], *O = l->ns[LAB_COL];
    if (run(H, NULL, err, errlen, "ip", "link", "add", hc, "type", "veth", "peer", "name", ch, "netns", C, NULL) != 0)
        return 1;   /* no veth: the lab cannot be built here either */
    RUN(C, "ip", "link", "add", cp, "type", "veth", "peer", "name", pc, "netns", P);
    RUN(P, "ip", "link", "add", po, "type", "veth", "peer", "name", op, "netns", O);
    RUN(P, "ip", "link", "add", x1, "type", "veth", "peer", "name", x2);
    for (int i = 0; i < LAB_NNS; i++)
        if (sysctls(l, i, err, errlen) < 0)
            return -1;
    if (addresses_routes(l, err, errlen) < 0 || sockets(l, err, errlen) < 0)
        return -1;
    char nerr[256];
    if (run(P, NULL, nerr, sizeof nerr, "nft", "flush", "ruleset", NULL) != 0) {
        snprintf(err, errlen, "nftables unusable in the lab: %s", nerr);
        return 1;
    }
    return 0;
}

void lab_down(lab *l)
{
    int *fds[] = {&l->raw4, &l->raw6, &l->udp4, &l->udp6, &l->orig_ns};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (*fds[i] >= 0) {
            close(*fds[i]);
            *fds[i] = -1;
        }
    for (int i = LAB_NNS - 1; i >= 0; i--) {
        char err[256];
        if (l->made[i] && run(NULL, NULL, err, sizeof err, "ip", "netns", "del", l->ns[i], NULL) != 0)
            fprintf(stderr, "manrs spooftest: cannot remove the namespace %s: %s\n", l->ns[i], err);
        l->made[i] = false;
    }
}

int lab_nft(lab *l, const char *text, char *err, size_t errlen)
{
    if (run(l->ns[LAB_PE], NULL, err, errlen, "nft", "flush", "ruleset", NULL) != 0)
        return -1;
    if (text && run(l->ns[LAB_PE], text, err, errlen, "nft", "-f", "-", NULL) != 0)
        return -1;
    return 0;
}
