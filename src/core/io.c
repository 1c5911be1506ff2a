/*
 * io.c — streaming reader with transparent decompression (see io.h).
 *
 * Layout: one raw input buffer (IN_CAP bytes, or the caller's memory for
 * mrs_reader_open_mem), one decoder state, and one small output buffer (OB_CAP)
 * used only for short mrs_read calls and for mrs_getline. Large mrs_read calls
 * decode (or read(2), for plain files) straight into the caller's buffer, so the
 * hot path does no copy beyond what the decompressor itself does.
 *
 * Assumptions:
 *  - The compression is decided once, from the first bytes (magic numbers):
 *    gzip 1f 8b (RFC 1952 section 2.3.1), bzip2 "BZh", xz fd 37 7a 58 5a 00,
 *    zstd 28 b5 2f fd (RFC 8878 section 3.1.1) or a zstd skippable frame
 *    (5?-2a-4d-18, RFC 8878 section 3.1.2); anything else is plain.
 *  - gzip files may hold several members and bzip2 files several streams
 *    (pigz/pbzip2, `cat a.gz b.gz`): after a member/stream end, if more input
 *    follows and it starts with the same magic, decoding continues; other bytes
 *    after a complete member are reported as trailing garbage (an error).
 *    xz (LZMA_CONCATENATED) and zstd (frame after frame) concatenate natively.
 *  - Damage (cut-short stream, corrupt data, read error) is recorded once;
 *    everything decoded before it is still delivered, later reads return 0.
 *  - Decoder memory is bounded: xz memlimit XZ_MEMLIMIT, zstd's default
 *    window limit (128 MiB).
 *  - gzip integrity (RFC 1952 section 2.3.1: CRC32 and ISIZE of every member)
 *    is checked here, not by zlib: zlib parses the framing with its own check
 *    turned off (inflateValidate), the CRC-32 of the output is computed with
 *    libdeflate (PCLMUL, several times zlib's speed; it was 7 % of loading an
 *    RPSL dump) and compared with the trailer when the member ends - the same
 *    messages ("incorrect data check", "incorrect length check") at the same
 *    offsets as zlib's own check.
 *
 * Decoding ahead (prefetch): a compressed file opened by path is decoded by a
 * second thread into a ring of PF_SLOTS chunks of PF_CHUNK bytes, so that
 * decompression overlaps with the caller's parsing (gunzip is a third to a half
 * of loading an RPSL or MRT dump). The consumer reads the chunks in place (the
 * output buffer points into the ring; no extra copy for short reads and getline).
 * Ownership is strict: once the thread runs, only it touches the decoder, the raw
 * input and the damage fields; the consumer sees them again only after the
 * producer published its last chunk (pf->done under the mutex) and the consumer
 * delivered every byte before it - the same point of the stream at which a
 * synchronous reader returns short. Bytes and messages are those of the
 * synchronous path (where a decoder notices corruption inside a stream depends
 * on its output buffer sizes, in either mode; tests/test_io.c pins this).
 * MANRS_IO_THREADS=0 in the environment turns it off (debugging, benchmarks).
 * Memory readers (tests, fuzzers) always decode synchronously.
 */
#include "manrs/core/io.h"
#include "manrs/core/grow.h"

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <limits.h>
#include <lzma.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define IN_CAP (256u * 1024u)      /* raw input buffer */
#define OB_CAP (128u * 1024u)      /* output buffer for short reads / getline */
#define DIRECT_MIN (32u * 1024u)   /* reads at least this large bypass the output buffer */
#define CHUNK_MAX (1u << 30)       /* zlib/bzip2 counts are unsigned int */
#define XZ_MEMLIMIT ((uint64_t)256 << 20)
#define PF_CHUNK (128u * 1024u)    /* prefetch chunk (below the mmap threshold: reused heap memory) */
#define PF_SLOTS 8u                /* chunks decoded ahead (1 MiB) */

/* The decode-ahead ring (see the header comment). Fields marked (mu) are read
 * and written under mu by both threads; the others belong to one side. */
struct prefetch {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t space;        /* a slot was released (or stop) */
    pthread_cond_t data;         /* a slot was published (or done) */
    uint8_t *slot[PF_SLOTS];
    size_t len[PF_SLOTS];        /* (mu) bytes in a published slot */
    uint64_t raw_at[PF_SLOTS];   /* (mu) raw bytes consumed when the slot was done */
    unsigned filled;             /* (mu) published slots not yet released */
    int done;                    /* (mu) producer published its last slot and left */
    int stop;                    /* (mu) consumer asks the producer to leave */
    unsigned wr;                 /* producer: next slot to fill */
    unsigned rd;                 /* consumer: slot it reads (when held) */
    int held;                    /* consumer: holds slot rd */
    int finished;                /* consumer: producer joined; r's fields are its own again */
    uint64_t c_out;              /* consumer: decoded bytes taken from the ring */
    uint64_t c_raw;              /* consumer: raw offset of the slot held */
};

struct mrs_reader {
    char *name;
    int fd;                  /* -1 for memory readers */
    int own_fd;
    mrs_compression comp;

    /* Raw input: [in_next, in_next + in_avail) not yet consumed. */
    uint8_t *in;             /* owned buffer (NULL for memory readers) */
    const uint8_t *in_next;
    size_t in_avail;
    int in_eof;              /* no more raw bytes will arrive */
    uint64_t raw_read;       /* raw bytes read from the file (or given in memory) */
    uint64_t raw_size;

    /* Decoder. */
    z_stream z;
    bz_stream bz;
    lzma_stream lz;
    ZSTD_DStream *zs;
    int dec_live;            /* z/bz/lz initialised and need an End */
    int zstd_frame_done;     /* last zstd call finished a frame (or none begun) */
    int stall;               /* consecutive no-progress steps with input present */
    uint32_t gz_crc;         /* CRC-32 of the current gzip member's output so far */
    uint32_t gz_len;         /* its length mod 2^32 (ISIZE) */
    uint8_t gz_tail[8];      /* the last 8 raw bytes consumed: the trailer at member end */

    /* Decoded output not yet delivered: ob[ob_pos, ob_len). ob is ob_own, or
     * the prefetch slot the consumer holds. */
    uint8_t *ob;
    uint8_t *ob_own;
    struct prefetch *pf;     /* non-NULL while a thread decodes ahead */
    size_t ob_pos, ob_len;
    uint64_t out_off;        /* decoded bytes produced so far (incl. those in ob) */

    int eof;                 /* stream completely and correctly read */
    int err;
    char errmsg[320];

    /* Text mode (mrs_reader_expect_text): consumer-side only. A NUL byte, or a
     * line longer than MRS_LINE_MAX in mrs_getline, ends the stream with an error. */
    int text;
    int text_err;
    char text_msg[160];
};

const char *mrs_compression_name(mrs_compression c)
{
    switch (c) {
    case MRS_COMP_NONE: return "plain";
    case MRS_COMP_GZIP: return "gzip";
    case MRS_COMP_BZIP2: return "bzip2";
    case MRS_COMP_XZ: return "xz";
    case MRS_COMP_ZSTD: return "zstd";
    }
    return "unknown";
}

static uint64_t raw_consumed(const mrs_reader *r)
{
    return r->raw_read - r->in_avail;
}

/* Record damage once: "<comp> <what> at compressed offset N (decompressed offset M)[: detail]".
 * back: raw bytes consumed since the damage was detectable (so that a check done
 * here later than the decoder would have done it reports the same offset). */
static void set_damage_back(mrs_reader *r, uint64_t back, const char *what, const char *detail)
{
    if (r->err)
        return;
    r->err = 1;
    /* A read error is not the format's fault: no format name in front of it. */
    int io = strcmp(what, "read error") == 0;
    snprintf(r->errmsg, sizeof r->errmsg, "%s%s%s at compressed offset %llu (decompressed offset %llu)%s%s",
             io ? "" : mrs_compression_name(r->comp), io ? "" : " ", what, (unsigned long long)(raw_consumed(r) - back),
             (unsigned long long)r->out_off, detail ? ": " : "", detail ? detail : "");
}

static void set_damage(mrs_reader *r, const char *what, const char *detail)
{
    set_damage_back(r, 0, what, detail);
}

/* read(2) with EINTR retry; records an I/O error. Returns bytes read, 0 at EOF, -1 on error. */
static ssize_t read_fd(mrs_reader *r, void *buf, size_t n)
{
    for (;;) {
        ssize_t k = read(r->fd, buf, n);
        if (k >= 0) {
            r->raw_read += (uint64_t)k;
            return k;
        }
        if (errno == EINTR)
            continue;
        char detail[128];
        snprintf(detail, sizeof detail, "%s", strerror(errno));
        set_damage(r, "read error", detail);
        return -1;
    }
}

/* Get more raw input, keeping the unconsumed bytes. Returns 1 if bytes were
 * added, 0 at end of input, -1 on error. */
static int fill_in(mrs_reader *r)
{
    if (r->in_eof || r->err)
        return r->err ? -1 : 0;
    if (r->in_avail == 0)
        r->in_next = r->in;
    else if (r->in_next != r->in) {
        memmove(r->in, r->in_next, r->in_avail);
        r->in_next = r->in;
    }
    if (r->in_avail == IN_CAP)
        return 1; /* full already; callers only ask when they need more than this holds */
    ssize_t k = read_fd(r, r->in + r->in_avail, IN_CAP - r->in_avail);
    if (k < 0)
        return -1;
    if (k == 0) {
        r->in_eof = 1;
        return 0;
    }
    r->in_avail += (size_t)k;
    return 1;
}

/* Make at least k raw bytes available (fewer only at end of input or on error). */
static int ensure_in(mrs_reader *r, size_t k)
{
    while (r->in_avail < k && !r->in_eof) {
        if (fill_in(r) < 0)
            return -1;
    }
    return 0;
}

static void consume_in(mrs_reader *r, size_t k)
{
    if (r->comp == MRS_COMP_GZIP && k) {
        /* Keep the last 8 consumed bytes: when inflate reports the end of a
         * member it has consumed exactly through its 8-byte trailer. */
        if (k >= 8) {
            memcpy(r->gz_tail, r->in_next + k - 8, 8);
        } else {
            memmove(r->gz_tail, r->gz_tail + k, 8 - k);
            memcpy(r->gz_tail + 8 - k, r->in_next, k);
        }
    }
    r->in_next += k;
    r->in_avail -= k;
}

static int has_prefix(const uint8_t *p, size_t n, const uint8_t *magic, size_t m)
{
    return n >= m && memcmp(p, magic, m) == 0;
}

static const uint8_t GZIP_MAGIC[2] = {0x1f, 0x8b};
static const uint8_t BZIP2_MAGIC[3] = {'B', 'Z', 'h'};
static const uint8_t XZ_MAGIC[6] = {0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00};
static const uint8_t ZSTD_MAGIC[4] = {0x28, 0xb5, 0x2f, 0xfd};

static mrs_compression detect(const uint8_t *p, size_t n)
{
    if (has_prefix(p, n, GZIP_MAGIC, 2))
        return MRS_COMP_GZIP;
    if (has_prefix(p, n, BZIP2_MAGIC, 3))
        return MRS_COMP_BZIP2;
    if (has_prefix(p, n, XZ_MAGIC, 6))
        return MRS_COMP_XZ;
    if (has_prefix(p, n, ZSTD_MAGIC, 4))
        return MRS_COMP_ZSTD;
    if (n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18)
        return MRS_COMP_ZSTD; /* skippable frame first */
    return MRS_COMP_NONE;
}

static void decoder_end(mrs_reader *r)
{
    if (!r->dec_live)
        return;
    switch (r->comp) {
    case MRS_COMP_GZIP: inflateEnd(&r->z); break;
    case MRS_COMP_BZIP2: BZ2_bzDecompressEnd(&r->bz); break;
    case MRS_COMP_XZ: lzma_end(&r->lz); break;
    case MRS_COMP_ZSTD:
    case MRS_COMP_NONE: break;
    }
    r->dec_live = 0;
}

/* Initialise the decoder for a (new) stream. Returns 0, or -1 with err set. */
static int decoder_begin(mrs_reader *r)
{
    int ok = 1;
    switch (r->comp) {
    case MRS_COMP_NONE:
        return 0;
    case MRS_COMP_GZIP:
        r->gz_crc = 0;
        r->gz_len = 0;
        if (r->dec_live) {
            /* inflateReset keeps the check setting (inflateValidate). */
            return inflateReset(&r->z) == Z_OK ? 0 : (set_damage(r, "decoder reset failed", NULL), -1);
        }
        memset(&r->z, 0, sizeof r->z);
        ok = inflateInit2(&r->z, 16 + MAX_WBITS) == Z_OK && inflateValidate(&r->z, 0) == Z_OK;
        break;
    case MRS_COMP_BZIP2:
        decoder_end(r);
        memset(&r->bz, 0, sizeof r->bz);
        ok = BZ2_bzDecompressInit(&r->bz, 0, 0) == BZ_OK;
        break;
    case MRS_COMP_XZ: {
        lzma_stream init = LZMA_STREAM_INIT;
        r->lz = init;
        ok = lzma_stream_decoder(&r->lz, XZ_MEMLIMIT, LZMA_CONCATENATED) == LZMA_OK;
        break;
    }
    case MRS_COMP_ZSTD:
        r->zs = ZSTD_createDStream();
        ok = r->zs != NULL && !ZSTD_isError(ZSTD_initDStream(r->zs));
        r->zstd_frame_done = 1;
        return ok ? 0 : (set_damage(r, "decoder init failed", "out of memory"), -1);
    }
    if (!ok) {
        set_damage(r, "decoder init failed", "out of memory");
        return -1;
    }
    r->dec_live = 1;
    return 0;
}

enum step { STEP_OK, STEP_END, STEP_FAIL };

static size_t clamp(size_t n)
{
    return n > CHUNK_MAX ? CHUNK_MAX : n;
}

/* One decoder call: consume from the input buffer, write at most n bytes to dst. */
static enum step step(mrs_reader *r, uint8_t *dst, size_t n, size_t *made)
{
    size_t in_n = clamp(r->in_avail), out_n = clamp(n);
    *made = 0;
    switch (r->comp) {
    case MRS_COMP_GZIP: {
        z_stream *z = &r->z;
        z->next_in = (Bytef *)(uintptr_t)r->in_next; /* zlib does not write through next_in */
        z->avail_in = (uInt)in_n;
        z->next_out = dst;
        z->avail_out = (uInt)out_n;
        int rc = inflate(z, Z_NO_FLUSH);
        consume_in(r, in_n - z->avail_in);
        *made = out_n - z->avail_out;
        r->out_off += *made;
        if (*made) {
            r->gz_crc = libdeflate_crc32(r->gz_crc, dst, *made);
            r->gz_len += (uint32_t)*made;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR)
            return STEP_OK;
        if (rc == Z_STREAM_END) {
            /* RFC 1952 section 2.3.1: CRC32 then ISIZE, little endian. */
            const uint8_t *t = r->gz_tail;
            uint32_t crc = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
            uint32_t len = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
            if (crc != r->gz_crc) {
                /* zlib's own check fires before reading ISIZE: same offset. */
                set_damage_back(r, 4, "data corrupt", "incorrect data check");
                return STEP_FAIL;
            }
            if (len != r->gz_len) {
                set_damage(r, "data corrupt", "incorrect length check");
                return STEP_FAIL;
            }
            return STEP_END;
        }
        set_damage(r, rc == Z_MEM_ERROR ? "decoder out of memory" : "data corrupt",
                   z->msg ? z->msg : (rc == Z_NEED_DICT ? "preset dictionary required" : NULL));
        return STEP_FAIL;
    }
    case MRS_COMP_BZIP2: {
        bz_stream *b = &r->bz;
        b->next_in = (char *)(uintptr_t)r->in_next; /* libbz2 does not write through next_in */
        b->avail_in = (unsigned)in_n;
        b->next_out = (char *)dst;
        b->avail_out = (unsigned)out_n;
        int rc = BZ2_bzDecompress(b);
        consume_in(r, in_n - b->avail_in);
        *made = out_n - b->avail_out;
        r->out_off += *made;
        if (rc == BZ_OK)
            return STEP_OK;
        if (rc == BZ_STREAM_END)
            return STEP_END;
        set_damage(r, rc == BZ_MEM_ERROR ? "decoder out of memory" : "data corrupt",
                   rc == BZ_DATA_ERROR_MAGIC ? "bad stream magic" : NULL);
        return STEP_FAIL;
    }
    case MRS_COMP_XZ: {
        lzma_stream *l = &r->lz;
        l->next_in = r->in_next;
        l->avail_in = r->in_avail;
        l->next_out = dst;
        l->avail_out = n;
        lzma_ret rc = lzma_code(l, r->in_eof ? LZMA_FINISH : LZMA_RUN);
        consume_in(r, r->in_avail - l->avail_in);
        *made = n - l->avail_out;
        r->out_off += *made;
        switch (rc) {
        case LZMA_OK: return STEP_OK;
        case LZMA_STREAM_END: return STEP_END;
        case LZMA_BUF_ERROR:
            if (r->in_eof && r->in_avail == 0) {
                set_damage(r, "stream truncated", NULL);
                return STEP_FAIL;
            }
            return STEP_OK;
        case LZMA_MEM_ERROR: set_damage(r, "decoder out of memory", NULL); return STEP_FAIL;
        case LZMA_MEMLIMIT_ERROR: set_damage(r, "stream needs more than 256 MiB to decode", NULL); return STEP_FAIL;
        case LZMA_OPTIONS_ERROR: set_damage(r, "data corrupt", "unsupported options"); return STEP_FAIL;
        default: set_damage(r, "data corrupt", NULL); return STEP_FAIL;
        }
    }
    case MRS_COMP_ZSTD: {
        ZSTD_inBuffer ib = {r->in_next, r->in_avail, 0};
        ZSTD_outBuffer obuf = {dst, n, 0};
        size_t rc = ZSTD_decompressStream(r->zs, &obuf, &ib);
        consume_in(r, ib.pos);
        *made = obuf.pos;
        r->out_off += *made;
        if (ZSTD_isError(rc)) {
            set_damage(r, "data corrupt", ZSTD_getErrorName(rc));
            return STEP_FAIL;
        }
        if (rc == 0)
            r->zstd_frame_done = 1;
        else if (ib.pos > 0 || obuf.pos > 0)
            r->zstd_frame_done = 0;
        return STEP_OK;
    }
    case MRS_COMP_NONE: break;
    }
    return STEP_FAIL;
}

/* After a gzip member or bzip2 stream ended: continue with the next one, stop
 * at end of input, or report what follows. Returns 1 to continue, 0 to stop. */
static int member_end(mrs_reader *r)
{
    const uint8_t *magic = r->comp == MRS_COMP_GZIP ? GZIP_MAGIC : BZIP2_MAGIC;
    size_t m = r->comp == MRS_COMP_GZIP ? sizeof GZIP_MAGIC : sizeof BZIP2_MAGIC;
    if (r->comp == MRS_COMP_XZ) {
        r->eof = 1; /* LZMA_CONCATENATED with LZMA_FINISH: all input consumed */
        return 0;
    }
    if (ensure_in(r, m) < 0)
        return 0;
    if (r->in_avail == 0) {
        r->eof = 1;
        return 0;
    }
    if (r->in_avail >= m ? memcmp(r->in_next, magic, m) == 0 : memcmp(r->in_next, magic, r->in_avail) == 0) {
        if (r->in_avail < m) {
            set_damage(r, "stream truncated", NULL);
            return 0;
        }
        return decoder_begin(r) == 0;
    }
    set_damage(r, r->comp == MRS_COMP_GZIP ? "trailing garbage after member" : "trailing garbage after stream",
               NULL);
    return 0;
}

/* Decode up to n bytes into dst; short only at end of stream or on damage. */
static size_t decode(mrs_reader *r, uint8_t *dst, size_t n)
{
    size_t got = 0;
    while (got < n && !r->eof && !r->err) {
        if (r->in_avail == 0 && !r->in_eof && fill_in(r) < 0)
            break;
        size_t before = r->in_avail, made;
        enum step st = step(r, dst + got, n - got, &made);
        got += made;
        if (st == STEP_FAIL)
            break;
        if (st == STEP_END) {
            r->stall = 0;
            if (!member_end(r))
                break;
            continue;
        }
        if (made > 0 || r->in_avail != before) {
            r->stall = 0;
            continue;
        }
        if (r->in_avail == 0 && r->in_eof) {
            if (r->comp == MRS_COMP_ZSTD && r->zstd_frame_done)
                r->eof = 1;
            else
                set_damage(r, "stream truncated", NULL);
            break;
        }
        if (r->in_avail > 0 && !r->in_eof && r->in_avail < IN_CAP) {
            /* The decoder wants more than the buffered tail (zlib never, others may). */
            if (fill_in(r) < 0)
                break;
            continue;
        }
        if (++r->stall > 4) {
            set_damage(r, "data corrupt", "decoder made no progress");
            break;
        }
    }
    return got;
}

/* Plain input: buffered bytes first, then read(2) straight into dst when large. */
static size_t plain(mrs_reader *r, uint8_t *dst, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (r->in_avail > 0) {
            size_t k = r->in_avail < n - got ? r->in_avail : n - got;
            memcpy(dst + got, r->in_next, k);
            consume_in(r, k);
            r->out_off += k;
            got += k;
            continue;
        }
        if (r->in_eof || r->err)
            break;
        if (n - got >= DIRECT_MIN) {
            ssize_t k = read_fd(r, dst + got, n - got);
            if (k <= 0) {
                if (k == 0)
                    r->in_eof = 1;
                break;
            }
            r->out_off += (size_t)k;
            got += (size_t)k;
        } else if (fill_in(r) <= 0) {
            break;
        }
    }
    if (r->in_avail == 0 && r->in_eof && !r->err)
        r->eof = 1;
    return got;
}

static size_t produce(mrs_reader *r, uint8_t *dst, size_t n)
{
    if (r->eof || r->err || n == 0)
        return 0;
    return r->comp == MRS_COMP_NONE ? plain(r, dst, n) : decode(r, dst, n);
}

/* ---- decode ahead ---------------------------------------------------- */

/* Producer thread: decode chunk after chunk into free slots until the stream
 * ends (eof or damage) or the consumer asks it to stop. produce() is short only
 * at the end, so a short chunk is the last one. */
static void *prefetch_main(void *arg)
{
    mrs_reader *r = arg;
    struct prefetch *pf = r->pf;
    for (;;) {
        pthread_mutex_lock(&pf->mu);
        while (pf->filled == PF_SLOTS && !pf->stop)
            pthread_cond_wait(&pf->space, &pf->mu);
        int stop = pf->stop;
        pthread_mutex_unlock(&pf->mu);
        if (stop)
            break;
        unsigned w = pf->wr;
        size_t n = produce(r, pf->slot[w], PF_CHUNK);
        int last = n < PF_CHUNK || r->eof || r->err;
        pthread_mutex_lock(&pf->mu);
        pf->len[w] = n;
        pf->raw_at[w] = raw_consumed(r);
        pf->wr = (w + 1) % PF_SLOTS;
        pf->filled++;
        pf->done = last;
        pthread_cond_signal(&pf->data);
        pthread_mutex_unlock(&pf->mu);
        if (last)
            return NULL;
    }
    pthread_mutex_lock(&pf->mu);
    pf->done = 1;
    pthread_cond_signal(&pf->data);
    pthread_mutex_unlock(&pf->mu);
    return NULL;
}

static void prefetch_free(struct prefetch *pf)
{
    for (unsigned i = 0; i < PF_SLOTS; i++)
        free(pf->slot[i]);
    pthread_cond_destroy(&pf->space);
    pthread_cond_destroy(&pf->data);
    pthread_mutex_destroy(&pf->mu);
    free(pf);
}

/* Start decoding ahead; on any failure the reader simply stays synchronous. */
static void prefetch_start(mrs_reader *r)
{
    const char *env = getenv("MANRS_IO_THREADS");
    if (env && strcmp(env, "0") == 0)
        return;
    struct prefetch *pf = calloc(1, sizeof *pf);
    if (!pf)
        return;
    int ok = 1;
    for (unsigned i = 0; i < PF_SLOTS; i++)
        ok &= (pf->slot[i] = malloc(PF_CHUNK)) != NULL;
    if (!ok || pthread_mutex_init(&pf->mu, NULL) != 0) {
        for (unsigned i = 0; i < PF_SLOTS; i++)
            free(pf->slot[i]);
        free(pf);
        return;
    }
    pthread_cond_init(&pf->space, NULL);
    pthread_cond_init(&pf->data, NULL);
    pf->c_raw = raw_consumed(r);
    r->pf = pf;
    if (pthread_create(&pf->th, NULL, prefetch_main, r) != 0) {
        r->pf = NULL;
        prefetch_free(pf);
    }
}

/* Make the producer leave and wait for it; afterwards the consumer owns every
 * field of the reader again. */
static void prefetch_join(mrs_reader *r)
{
    struct prefetch *pf = r->pf;
    if (pf->finished)
        return;
    pthread_mutex_lock(&pf->mu);
    pf->stop = 1;
    pthread_cond_signal(&pf->space);
    pthread_mutex_unlock(&pf->mu);
    pthread_join(pf->th, NULL);
    pf->finished = 1;
}

/* Text mode: n bytes just decoded at p, the first at decompressed offset `at`.
 * Returns how many of them are text: all, or those before a NUL byte (which no
 * text format has: it is binary data, e.g. /dev/zero), recorded as the error. */
static size_t text_cut(mrs_reader *r, const uint8_t *p, size_t n, uint64_t at)
{
    if (!r->text || n == 0)
        return n;
    const uint8_t *z = memchr(p, 0, n);
    if (!z)
        return n;
    size_t k = (size_t)(z - p);
    r->text_err = 1;
    snprintf(r->text_msg, sizeof r->text_msg, "NUL byte at decompressed offset %llu: binary data, not text",
             (unsigned long long)(at + k));
    return k;
}

/* Refill ob: the next decoded bytes, in place. Returns their count, 0 at the end. */
static size_t refill(mrs_reader *r)
{
    struct prefetch *pf = r->pf;
    r->ob_pos = 0;
    if (r->text_err) {
        r->ob_len = 0;
        return 0;
    }
    if (!pf) {
        size_t n = produce(r, r->ob, OB_CAP);
        r->ob_len = text_cut(r, r->ob, n, r->out_off - n);
        r->out_off -= n - r->ob_len;
        return r->ob_len;
    }
    r->ob_len = 0;
    if (pf->finished)
        return 0;
    pthread_mutex_lock(&pf->mu);
    for (;;) {
        if (pf->held) {
            pf->held = 0;
            pf->rd = (pf->rd + 1) % PF_SLOTS;
            pf->filled--;
            pthread_cond_signal(&pf->space);
        }
        while (pf->filled == 0 && !pf->done)
            pthread_cond_wait(&pf->data, &pf->mu);
        if (pf->filled == 0)
            break; /* done and drained */
        pf->held = 1;
        pf->c_raw = pf->raw_at[pf->rd];
        size_t n = pf->len[pf->rd];
        if (n > 0) {
            pthread_mutex_unlock(&pf->mu);
            r->ob = pf->slot[pf->rd];
            r->ob_len = text_cut(r, r->ob, n, pf->c_out);
            pf->c_out += r->ob_len;
            return r->ob_len;
        }
    }
    pthread_mutex_unlock(&pf->mu);
    r->ob = r->ob_own;
    pthread_join(pf->th, NULL);
    pf->finished = 1;
    return 0;
}

static mrs_reader *reader_new(const char *name)
{
    mrs_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fd = -1;
    r->name = strdup(name ? name : "[memory]");
    r->ob = r->ob_own = malloc(OB_CAP);
    if (!r->name || !r->ob) {
        free(r->name);
        free(r->ob_own);
        free(r);
        return NULL;
    }
    return r;
}

/* Detect the compression from the first bytes and start the decoder. */
static int reader_start(mrs_reader *r)
{
    if (ensure_in(r, sizeof XZ_MAGIC) < 0)
        return -1;
    r->comp = detect(r->in_next, r->in_avail);
    return decoder_begin(r);
}

static void open_error(char *err, size_t errlen, int named, const char *name, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "%s%s%s", named ? name : "", named ? ": " : "", why);
}

/* Open path; on failure err gets "PATH: reason" if named, else the reason only. */
static mrs_reader *reader_open(const char *path, int named, char *err, size_t errlen)
{
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        open_error(err, errlen, named, path, strerror(errno));
        return NULL;
    }
    struct stat st;
    int bad = fstat(fd, &st) != 0 ? errno : (S_ISDIR(st.st_mode) ? EISDIR : 0);
    if (bad) {
        int e = bad;
        open_error(err, errlen, named, path, strerror(e));
        if (!is_stdin)
            close(fd);
        return NULL;
    }
    mrs_reader *r = reader_new(is_stdin ? "[stdin]" : path);
    uint8_t *in = r ? malloc(IN_CAP) : NULL;
    if (!in) {
        open_error(err, errlen, named, path, strerror(ENOMEM));
        if (r)
            mrs_reader_close(r);
        if (!is_stdin)
            close(fd);
        return NULL;
    }
    r->in = in;
    r->in_next = in;
    r->fd = fd;
    r->own_fd = !is_stdin;
    r->raw_size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    if (reader_start(r) != 0) {
        open_error(err, errlen, named, r->name, r->errmsg);
        mrs_reader_close(r);
        return NULL;
    }
    if (r->comp != MRS_COMP_NONE)
        prefetch_start(r);
    return r;
}

mrs_reader *mrs_reader_open(const char *path, char *err, size_t errlen)
{
    return reader_open(path, 1, err, errlen);
}

mrs_reader *mrs_reader_open_why(const char *path, char *why, size_t whylen)
{
    return reader_open(path, 0, why, whylen);
}

mrs_reader *mrs_reader_open_mem(const void *buf, size_t len, const char *name)
{
    mrs_reader *r = reader_new(name);
    if (!r)
        return NULL;
    r->in_next = len ? buf : (const uint8_t *)"";
    r->in_avail = len;
    r->in_eof = 1;
    r->raw_read = len;
    r->raw_size = len;
    if (reader_start(r) != 0) {
        mrs_reader_close(r);
        return NULL;
    }
    return r;
}

size_t mrs_read(mrs_reader *r, void *buf, size_t n)
{
    uint8_t *dst = buf;
    size_t got = 0;
    while (got < n) {
        if (r->ob_pos < r->ob_len) {
            size_t k = r->ob_len - r->ob_pos;
            if (k > n - got)
                k = n - got;
            memcpy(dst + got, r->ob + r->ob_pos, k);
            r->ob_pos += k;
            got += k;
            continue;
        }
        if (r->text_err)
            break;
        if (n - got >= DIRECT_MIN && !r->pf) {
            size_t m = produce(r, dst + got, n - got);
            size_t k = text_cut(r, dst + got, m, r->out_off - m);
            r->out_off -= m - k;
            got += k;
            break;
        }
        if (refill(r) == 0)
            break;
    }
    return got;
}

/* Append src[0,k) to the caller's line buffer at *len, growing it (always room for a NUL). */
static int line_append(char **line, size_t *cap, size_t *len, const uint8_t *src, size_t k)
{
    char *p = mrs_grow(*line, cap, *len + k + 1, 1, 64);
    if (!p)
        return -1;
    *line = p;
    memcpy(*line + *len, src, k);
    *len += k;
    return 0;
}

ssize_t mrs_getline(mrs_reader *r, char **line, size_t *cap)
{
    size_t len = 0;
    int any = 0;
    for (;;) {
        if (r->ob_pos == r->ob_len && refill(r) == 0)
            break;
        const uint8_t *p = r->ob + r->ob_pos;
        size_t avail = r->ob_len - r->ob_pos;
        const uint8_t *nl = memchr(p, '\n', avail);
        size_t k = nl ? (size_t)(nl - p) : avail;
        if (line_append(line, cap, &len, p, k) != 0) {
            if (r->pf)
                prefetch_join(r);
            if (!r->err) {
                r->err = 1;
                snprintf(r->errmsg, sizeof r->errmsg, "line at decompressed offset %llu: out of memory",
                         (unsigned long long)mrs_reader_offset(r));
            }
            return -1;
        }
        any = 1;
        r->ob_pos += k;
        if (r->text && len > MRS_LINE_MAX) {
            r->text_err = 1;
            snprintf(r->text_msg, sizeof r->text_msg,
                     "line longer than %u bytes before decompressed offset %llu: not a text file of lines",
                     MRS_LINE_MAX, (unsigned long long)mrs_reader_offset(r));
            return -1;
        }
        if (nl) {
            r->ob_pos++;
            if (len > 0 && (*line)[len - 1] == '\r')
                len--;
            (*line)[len] = '\0';
            return (ssize_t)len;
        }
    }
    if (!any)
        return -1;
    (*line)[len] = '\0';
    return (ssize_t)len;
}

/* With a producer thread, its damage becomes visible once the consumer got every
 * byte before it (and the thread is joined) - exactly where a synchronous reader
 * returns short. */
static int visible_err(const mrs_reader *r)
{
    return r->pf && !r->pf->finished ? 0 : r->err;
}

int mrs_reader_error(const mrs_reader *r) { return r->text_err || visible_err(r); }
const char *mrs_reader_errmsg(const mrs_reader *r)
{
    return r->text_err ? r->text_msg : visible_err(r) ? r->errmsg : "";
}

const void *mrs_reader_peek(mrs_reader *r, size_t *n)
{
    if (r->ob_pos == r->ob_len)
        refill(r);
    *n = r->ob_len - r->ob_pos;
    return r->ob + r->ob_pos;
}

const char *mrs_sniff_json(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    if (i == n)
        return n ? "no JSON value in the first bytes" : NULL;
    return p[i] == '{' || p[i] == '[' ? NULL : "JSON must start with '{' or '['";
}

int mrs_reader_expect_text(mrs_reader *r, const char *what, mrs_text_sniff sniff, mrs_diag *d)
{
    size_t n;
    const uint8_t *p = mrs_reader_peek(r, &n);
    if (mrs_reader_error(r) && n == 0) {
        mrs_diag_error_file(d, r->name, "%s", mrs_reader_errmsg(r));
        return -1;
    }
    /* Text has no NUL and few other control bytes (tab, CR, LF, VT, FF and ESC
     * aside); random or binary data has about one byte in ten. */
    const uint8_t *z = memchr(p, 0, n);
    size_t ctl = 0, first = n;
    for (size_t i = 0; i < n && !z; i++) {
        uint8_t c = p[i];
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x1b)
            continue;
        if (first == n)
            first = i;
        ctl++;
    }
    if (z || ctl * 100 > n) {
        size_t at = z ? (size_t)(z - p) : first;
        mrs_diag_error_file(d, r->name, "not %s: binary data (byte 0x%02x at offset %zu)", what, p[at], at);
        return -1;
    }
    if (sniff && n) {
        const char *why = sniff((const char *)p, n);
        if (why) {
            mrs_diag_error_file(d, r->name, "not %s: %s", what, why);
            return -1;
        }
    }
    r->text = 1;
    return 0;
}
const char *mrs_reader_name(const mrs_reader *r) { return r->name; }
mrs_compression mrs_reader_compression(const mrs_reader *r) { return r->comp; }
uint64_t mrs_reader_offset(const mrs_reader *r)
{
    return (r->pf ? r->pf->c_out : r->out_off) - (r->ob_len - r->ob_pos);
}
uint64_t mrs_reader_raw_offset(const mrs_reader *r) { return r->pf ? r->pf->c_raw : raw_consumed(r); }
uint64_t mrs_reader_raw_size(const mrs_reader *r) { return r->raw_size; }

void mrs_reader_close(mrs_reader *r)
{
    if (!r)
        return;
    if (r->pf) {
        prefetch_join(r);
        prefetch_free(r->pf);
    }
    decoder_end(r);
    if (r->zs)
        ZSTD_freeDStream(r->zs);
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    free(r->in);
    free(r->ob_own);
    free(r->name);
    free(r);
}

static int read_whole(const char *path, size_t max, const char *what, mrs_text_sniff sniff, mrs_diag *d,
                      char **buf, size_t *len)
{
    char err[256];
    mrs_reader *r = mrs_reader_open_why(path, err, sizeof err);
    if (!r) {
        mrs_diag_error_file(d, path, "%s", err);
        return -1;
    }
    if (what && mrs_reader_expect_text(r, what, sniff, d) != 0) {
        mrs_reader_close(r);
        return -1;
    }
    size_t cap = 0, n = 0;
    char *b = NULL;
    for (;;) {
        if (n + 65536 > max) {
            if (max % ((size_t)1 << 30) == 0)
                mrs_diag_error_file(d, path, "larger than %zu GiB", max >> 30);
            else
                mrs_diag_error_file(d, path, "larger than %zu bytes", max);
            free(b);
            b = NULL;
            break;
        }
        char *nb = mrs_grow(b, &cap, n + 65536, 1, 1 << 16);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        size_t got = mrs_read(r, b + n, 65536);
        if (got == 0)
            break;
        n += got;
    }
    int bad = mrs_reader_error(r);
    if (bad && b)
        mrs_diag_error_file(d, path, "%s", mrs_reader_errmsg(r));
    mrs_reader_close(r);
    if (!b || bad) {
        free(b);
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

int mrs_read_whole(const char *path, size_t max, mrs_diag *d, char **buf, size_t *len)
{
    return read_whole(path, max, NULL, NULL, d, buf, len);
}

int mrs_read_whole_text(const char *path, size_t max, const char *what, mrs_text_sniff sniff, mrs_diag *d,
                        char **buf, size_t *len)
{
    return read_whole(path, max, what, sniff, d, buf, len);
}

int mrs_mkdir_parents(const char *path)
{
    char d[4200];
    if (snprintf(d, sizeof d, "%s", path) >= (int)sizeof d) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *q = d + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = 0;
        if (mkdir(d, 0755) < 0 && errno != EEXIST)
            return -1;
        *q = '/';
    }
    return 0;
}
