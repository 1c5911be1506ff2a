/*
 * notify.c — the monitor's webhook and e-mail channels (see monitor.h): a queue
 * filled by the feed thread, emptied by one delivery thread through libcurl.
 */
#define _GNU_SOURCE
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "manrs/apps/monitor.h"
#include "manrs/core/json_out.h"
#include "manrs/core/outbuf.h"

#define FAILURES_SHOWN 20

typedef struct target {
    bool mail;
    char *group;                /* NULL: every group */
    char *where;                /* URL or address */
} target;

typedef struct item {
    struct item *next;
    const target *t;
    char *subject, *body;
} item;

struct mon_notify {
    mon_notify_opts o;
    target *targets;
    size_t ntargets;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    item *head, *tail;
    size_t queued;
    bool stopping;
    time_t deadline;            /* while stopping: give up on what is left after it */
    mon_notify_stats st;        /* under mu */
    unsigned failures_shown;
};

static void target_set(target *t, const char *spec, bool mail)
{
    t->mail = mail;
    const char *eq = strchr(spec, '=');
    const char *scheme = strstr(spec, "://");
    if (eq && (!scheme || eq < scheme) && eq > spec) {
        t->group = strndup(spec, (size_t)(eq - spec));
        t->where = strdup(eq + 1);
    } else {
        t->group = NULL;
        t->where = strdup(spec);
    }
}

/* ------------------------------------------------------------------ delivery */

typedef struct upload {
    const char *p;
    size_t left;
} upload;

static size_t read_cb(char *buf, size_t size, size_t n, void *user)
{
    upload *u = user;
    size_t k = size * n < u->left ? size * n : u->left;
    memcpy(buf, u->p, k);
    u->p += k;
    u->left -= k;
    return k;
}

static size_t discard_cb(char *buf, size_t size, size_t n, void *user)
{
    (void)buf;
    (void)user;
    return size * n;
}

static bool deliver(mon_notify *n, CURL *c, const item *it, char *why, size_t whylen)
{
    curl_easy_reset(c);
    char errbuf[CURL_ERROR_SIZE] = "";
    long timeout = n->o.timeout_s ? (long)n->o.timeout_s : 10;
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_URL, it->t->mail ? n->o.smtp_url : it->t->where);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
    struct curl_slist *hdr = NULL;
    upload u = {it->body, strlen(it->body)};
    char *msg = NULL;
    if (it->t->mail) {
        char from[320], date[64];
        snprintf(from, sizeof from, "<%s>", n->o.mail_from);
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
        if (asprintf(&msg, "Date: %s\r\nFrom: manrs monitor <%s>\r\nTo: <%s>\r\nSubject: %s\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
                     date, n->o.mail_from, it->t->where, it->subject, it->body) < 0) {
            snprintf(why, whylen, "out of memory");
            return false;
        }
        u = (upload){msg, strlen(msg)};
        char to[320];
        snprintf(to, sizeof to, "<%s>", it->t->where);
        hdr = curl_slist_append(NULL, to);
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, hdr);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(c, CURLOPT_READDATA, &u);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u.left);
    } else {
        hdr = curl_slist_append(NULL, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, it->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)u.left);
    }
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hdr);
    free(msg);
    if (rc != CURLE_OK) {
        snprintf(why, whylen, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
        return false;
    }
    if (!it->t->mail && (code < 200 || code >= 300)) {
        snprintf(why, whylen, "HTTP status %ld", code);
        return false;
    }
    return true;
}

static void item_free(item *it)
{
    free(it->subject);
    free(it->body);
    free(it);
}

static void *run(void *arg)
{
    mon_notify *n = arg;
    CURL *c = curl_easy_init();
    for (;;) {
        pthread_mutex_lock(&n->mu);
        while (!n->head && !n->stopping)
            pthread_cond_wait(&n->cv, &n->mu);
        item *it = n->head;
        bool late = n->stopping && time(NULL) > n->deadline;
        if (it) {
            n->head = it->next;
            if (!n->head)
                n->tail = NULL;
            n->queued--;
        }
        pthread_mutex_unlock(&n->mu);
        if (!it)
            break;
        char why[CURL_ERROR_SIZE + 64];
        bool ok = !late && c && deliver(n, c, it, why, sizeof why);
        pthread_mutex_lock(&n->mu);
        if (ok)
            n->st.sent++;
        else
            n->st.failed++;
        pthread_mutex_unlock(&n->mu);
        if (!ok) {
            if (late)
                snprintf(why, sizeof why, "not sent: stopping");
            else if (!c)
                snprintf(why, sizeof why, "libcurl could not start");
            if (n->failures_shown++ < FAILURES_SHOWN)
                fprintf(stderr, "manrs monitor: %s %s: %s\n", it->t->mail ? "mail to" : "webhook", it->t->where, why);
        }
        item_free(it);
    }
    if (c)
        curl_easy_cleanup(c);
    return NULL;
}

/* ------------------------------------------------------------------ the queue */

mon_notify *mon_notify_start(const mon_notify_opts *o, char *err, size_t errlen)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        snprintf(err, errlen, "libcurl cannot start");
        return NULL;
    }
    mon_notify *n = calloc(1, sizeof *n);
    size_t nt = o->nwebhooks + o->nmail_to;
    if (!n || !(n->targets = calloc(nt ? nt : 1, sizeof *n->targets))) {
        free(n);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    n->o = *o;
    for (size_t i = 0; i < o->nwebhooks; i++)
        target_set(&n->targets[n->ntargets++], o->webhooks[i], false);
    for (size_t i = 0; i < o->nmail_to; i++)
        target_set(&n->targets[n->ntargets++], o->mail_to[i], true);
    pthread_mutex_init(&n->mu, NULL);
    pthread_cond_init(&n->cv, NULL);
    if (pthread_create(&n->thread, NULL, run, n) != 0) {
        snprintf(err, errlen, "cannot start the delivery thread");
        for (size_t i = 0; i < n->ntargets; i++) {
            free(n->targets[i].group);
            free(n->targets[i].where);
        }
        free(n->targets);
        free(n);
        return NULL;
    }
    return n;
}

void mon_notify_alert(mon_notify *n, const mon_alert *a)
{
    char p[MRS_PREFIX_STRLEN];
    mrs_prefix_format(&a->prefix, p);
    const char *group = a->group ? a->group : "default";
    for (size_t i = 0; i < n->ntargets; i++) {
        const target *t = &n->targets[i];
        if (t->group && strcmp(t->group, group))
            continue;
        item *it = calloc(1, sizeof *it);
        mrs_outbuf o;
        mrs_outbuf_init(&o, NULL);
        if (!it)
            goto dropped;
        it->t = t;
        if (asprintf(&it->subject, "[manrs monitor] %s%s %s AS%u", a->resolved ? "resolved: " : "", a->type, p,
                     a->asn) < 0) {
            it->subject = NULL;
            goto dropped;
        }
        if (t->mail) {
            mrs_outbuf_puts(&o, a->description);
            mrs_outbuf_puts(&o, "\r\n\r\n");
            mon_alert_json(&o, a);
        } else {
            /* {"text": ..., "alert": {...}}: "text" is what chat webhooks show */
            char *text = NULL;
            if (asprintf(&text, "manrs monitor: %s%s %s AS%u: %s", a->resolved ? "resolved: " : "", a->type, p, a->asn,
                         a->description) < 0)
                goto dropped;
            mrs_outbuf_puts(&o, "{\"text\":");
            mrs_json_cstr(&o, text);
            free(text);
            mrs_outbuf_puts(&o, ",\"alert\":");
            mon_alert_json(&o, a);
            while (o.len && o.buf[o.len - 1] == '\n')
                o.len--;
            mrs_outbuf_putc(&o, '}');
        }
        mrs_outbuf_putc(&o, 0);
        if (o.failed || !(it->body = strdup(o.buf)))
            goto dropped;
        mrs_outbuf_close(&o);
        pthread_mutex_lock(&n->mu);
        size_t max = n->o.queue_max ? n->o.queue_max : 1000;
        bool full = n->queued >= max;
        if (full) {
            n->st.dropped++;
        } else {
            if (n->tail)
                n->tail->next = it;
            else
                n->head = it;
            n->tail = it;
            n->queued++;
            pthread_cond_signal(&n->cv);
        }
        pthread_mutex_unlock(&n->mu);
        if (full)
            item_free(it);
        continue;
    dropped:
        mrs_outbuf_close(&o);
        if (it)
            item_free(it);
        pthread_mutex_lock(&n->mu);
        n->st.dropped++;
        pthread_mutex_unlock(&n->mu);
    }
}

mon_notify_stats mon_notify_get_stats(mon_notify *n)
{
    pthread_mutex_lock(&n->mu);
    mon_notify_stats st = n->st;
    pthread_mutex_unlock(&n->mu);
    return st;
}

void mon_notify_stop(mon_notify *n, unsigned drain_s, mon_notify_stats *st)
{
    if (!n)
        return;
    pthread_mutex_lock(&n->mu);
    n->stopping = true;
    n->deadline = time(NULL) + (time_t)drain_s;
    pthread_cond_signal(&n->cv);
    pthread_mutex_unlock(&n->mu);
    pthread_join(n->thread, NULL);
    if (st)
        *st = n->st;
    for (size_t i = 0; i < n->ntargets; i++) {
        free(n->targets[i].group);
        free(n->targets[i].where);
    }
    free(n->targets);
    pthread_mutex_destroy(&n->mu);
    pthread_cond_destroy(&n->cv);
    free(n);
    curl_global_cleanup();
}
