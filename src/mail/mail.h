/* mail.h - `mamori mail`: is this message spoofed or phishing?
 *
 * The path of one message:
 *   mail-parse.c     bytes -> struct mail_msg (GMime: headers, RFC 2047, charsets,
 *                    multiparts, attached .eml, TNEF; texts converted to UTF-8)
 *   mail-header.c    header checks (From vs Sender/Return-Path/Reply-To,
 *                    display-name spoofing, Authentication-Results/ARC, Received
 *                    chain, Message-ID, X-Mailer)
 *   mail-lookalike.c look-alike domains (own/partner domains, built-in brands)
 *   mail-content.c   links, forms, attachments (libmagic), BEC wording, thread hijack
 *   mail-intel.c     URLs and domains against the sensor's threat lists
 *   mail-verdict.c   score -> phishing / suspicious / clean, text and JSON output
 *
 * Every check appends reasons with mail_reason_add(); the verdict comes only
 * from the sum of their scores, so each reason is one sentence a person
 * understands plus its evidence.
 */
#ifndef MAMORI_MAIL_H
#define MAMORI_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hard limits: hostile input gets a verdict or a clear error in bounded
 * time and memory. */
#define MAIL_MAX_BYTES (64u << 20)     /* one message */
#define MAIL_MAX_PARTS 1000            /* MIME parts walked per message */
#define MAIL_MAX_DEPTH 32              /* nesting of multiparts / attached messages */
#define MAIL_MAX_TEXT (2u << 20)       /* UTF-8 text kept per message (all parts) */
#define MAIL_MAX_LINKS 500
#define MAIL_MAX_RECEIVED 64

struct mail_addr {
    char *display;   /* decoded display name, UTF-8, or NULL */
    char *addr;      /* local@domain, lower-cased domain, or NULL */
    char *domain;    /* lower-case domain part (IDN kept as given, punycode as given) */
};

struct mail_received {
    char *raw;       /* the header, unfolded */
    char *from_host; /* "from" clause host name, or NULL */
    char *from_ip;   /* first IP literal in the from clause, or NULL */
    char *by_host;   /* "by" clause host, or NULL */
    int64_t ts;      /* date after ';', seconds since epoch, or INT64_MIN */
};

struct mail_link {
    char *href;      /* as written (after HTML entity decoding) */
    char *host;      /* lower-case host of href, or NULL */
    char *text;      /* visible text of the <a>, UTF-8 trimmed, or NULL (plain-text URL) */
    bool in_html;
    bool in_attachment; /* a link annotation (/URI) of an attached PDF */
};

struct mail_attachment {
    char *filename;       /* decoded file name, or NULL */
    char *content_type;   /* as declared, lower case */
    char *magic_mime;     /* what libmagic says the bytes are, or NULL */
    const unsigned char *data; /* decoded content (owned by the mail_msg) */
    size_t len;
    bool is_message;      /* an attached message/rfc822 (forwarded or reported mail) */
    bool from_tnef;       /* a file unpacked from an Outlook winmail.dat (mail-tnef.c) */
};

struct mail_header {
    char *name;  /* as written */
    char *value; /* raw (unfolded) value; decode with GMime where a check needs it */
};

struct mail_msg {
    /* Headers in order, every one (Received, Authentication-Results, ARC-*). */
    struct mail_header *headers;
    size_t nheaders;
    struct mail_addr from, sender, reply_to, return_path;
    struct mail_addr *to;        /* To and Cc together */
    size_t nto;
    char *subject;               /* decoded, UTF-8, or NULL */
    char *message_id;            /* without <>, or NULL */
    char *in_reply_to, *references;
    char *x_mailer;              /* X-Mailer or User-Agent, or NULL */
    int64_t date;                /* Date header, seconds since epoch, or INT64_MIN */
    struct mail_received *received; /* top (newest) first */
    size_t nreceived;
    char *text;                  /* all text/plain parts, UTF-8 */
    char *html;                  /* all text/html parts, UTF-8 */
    char *html_text;             /* visible text of the HTML (tags stripped), UTF-8 */
    struct mail_link *links;     /* from HTML and plain text */
    size_t nlinks;
    size_t nforms;               /* <form> elements in the HTML */
    struct mail_attachment *attachments;
    size_t nattachments;
    struct mail_msg **inner;     /* attached messages, parsed (reported/forwarded mail) */
    size_t ninner;
    size_t nparts;               /* MIME parts walked */
    bool truncated;              /* a limit above was hit (said as evidence, never fatal) */
    bool quoted;                 /* rebuilt from a forward's text (mail-forward.c): its
                                    headers are only From, To and Subject */
    char *lang;                  /* "ja" if the texts are mostly Japanese, else "en" */
};

/* Settings: from the config file ([mail] section), then the command line. */
struct mail_options {
    const char *const *authserv_ids; /* trusted Authentication-Results authserv-id; NULL-ended */
    const char *const *own_domains;  /* the company's own domains (mail.own_domains) */
    const char *partners_file;       /* --partners: one domain (and optional name) a line */
    bool use_intel;                  /* --intel: check URLs and domains against threat lists */
    const char *intel_dir;
    const char *geoip_path;          /* NULL: geoip_default_path() */
};

/* One reason: id (stable, e.g. "header.reply_to_mismatch"), score, and the
 * evidence (what was seen, e.g. "From example.co.jp, Reply-To example-jp.top").
 * The text a person reads comes from the id, in their language.
 * Score scale (all checks): 10 a weak sign, 30 a clear sign, 60 decisive;
 * 0 a fact shown as evidence only; negative: a sign of a genuine sender.
 * mail-verdict.c: the sum (or an attached mail's) >= 30 is suspicious,
 * >= 60 phishing. */
struct mail_reason {
    char id[64];
    int score;
    char *evidence;
};

struct mail_result {
    struct mail_reason *reasons;
    size_t nreasons;
    int score;
    const char *verdict; /* "phishing", "suspicious", "clean" */
};

/* Everything a check needs, passed to each check. */
struct mail_ctx {
    const struct mail_options *opt;
    struct mail_partners *partners;  /* loaded --partners list (mail-lookalike.c) */
    struct intel_db *intel;          /* NULL without --intel */
    struct geoip *geoip;             /* NULL without a database */
    void *magic;                     /* magic_t, opened once */
};

/* mail-parse.c: parses one message. Returns NULL with *err set (static
 * English text) only for input that is not a message at all. */
struct mail_msg *mail_parse(const char *buf, size_t len, struct mail_ctx *ctx, const char **err);
void mail_msg_free(struct mail_msg *m);
/* Calls fn for each message of an mbox ("From " lines) or once for a single
 * message. Returns 0, or -1 with *err. */
int mail_parse_each(const char *buf, size_t len, struct mail_ctx *ctx,
                    int (*fn)(void *arg, struct mail_msg *m, size_t index), void *arg,
                    const char **err);
/* mail-forward.c: a mail forwarded inline in text (a quoted From/Subject
 * block at the top of a forward) as RFC 5322 bytes to parse, or NULL.
 * Caller frees. */
char *mail_forward_extract(const char *subject, const char *text, size_t *outlen);
/* Value of the first header called name (case-insensitive), or NULL. */
const char *mail_header_get(const struct mail_msg *m, const char *name);

/* Appends a reason (evidence is copied; printf-style). */
void mail_reason_add(struct mail_result *r, const char *id, int score, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void mail_result_free(struct mail_result *r);

/* The checks, each appends its reasons to r. */
void mail_check_headers(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r);
void mail_check_lookalike(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r);
void mail_check_content(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r);
void mail_check_intel(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r);

/* mail-lookalike.c: partner list, NULL on error after printing a line-numbered
 * message. Lines: `domain [name]`, # comments. */
struct mail_partners *mail_partners_load(const char *path);
void mail_partners_free(struct mail_partners *p);
/* The same from a buffer (len bytes, need not be NUL-terminated); errors name
 * `what` and the line. Used by mail_partners_load() and the fuzz target. */
struct mail_partners *mail_partners_parse(const char *buf, size_t len, const char *what);
size_t mail_partners_count(const struct mail_partners *p);

/* mail-brands.c: brands most impersonated in Japan (see the file). */
struct mail_brand {
    const char *name;           /* shown in evidence */
    const char *const *names;   /* display names (ja/en), NULL-ended; "=X": case-sensitive */
    const char *const *keys;    /* registrable labels look-alikes imitate */
    const char *const *domains; /* registrable domains that are theirs */
    bool any_tld;               /* key.<any public suffix> is theirs too */
};
extern const struct mail_brand mail_brands[];
extern const size_t mail_nbrands;

/* mail-lookalike.c helpers shared with mail-content.c and mail-intel.c.
 * mail_host_norm: lower case, no trailing dot, into out; false if not a
 * plausible host. mail_registrable: registrable domain of a normalised host
 * (example.co.jp), into out; false for IP literals and public suffixes.
 * mail_idn_to_utf8: xn-- labels decoded (RFC 3492), others copied; false if a
 * label does not decode. mail_host_is_ip: IPv4/IPv6 literal (also [v6],
 * decimal/hex/octal IPv4 forms browsers accept). */
bool mail_host_norm(const char *host, char *out, size_t outlen);
bool mail_registrable(const char *host, char *out, size_t outlen);
bool mail_idn_to_utf8(const char *host, char *out, size_t outlen);
bool mail_host_is_ip(const char *host);
/* Brand named (word-bounded / substring, see mail-brands.c) in text; NULL if none. */
const struct mail_brand *mail_brand_named(const char *text, const char **name_out);
/* Whether registrable domain rd belongs to brand b. */
bool mail_brand_owns(const struct mail_brand *b, const char *rd);

/* mail-header.c: whether dom is (under) a free mail provider's domain.
 * mail-content.c: whether host is a known click tracker / link wrapper of a
 * mail service. mail_sender_domain(): the domain of who really wrote the
 * mail: From, or for a mailing list that rewrote From to its own address
 * (List-Post, "Name via List"), the author's Reply-To. */
bool mail_is_freemail(const char *dom);
bool mail_host_is_tracker(const char *host);
const char *mail_sender_domain(const struct mail_msg *m);

/* mail-lure.c: where the mail sends a reader (contact addresses and chat
 * handles in the text, pictures on public image hosts, a brand sender whose
 * links go elsewhere). */
void mail_check_lure(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r);

/* mail-intel.c: loads the threat lists of dir (intel_store_load); NULL with
 * *err (static text) when dir cannot be read or holds no list. */
struct intel_db *mail_intel_open(const char *dir, const char **err);

/* Reason texts live beside their checks: one table per check file, ended by
 * a NULL id; mail_reason_text() looks through all of them. */
struct mail_reason_def {
    const char *id;
    const char *en;
    const char *ja;
};
extern const struct mail_reason_def mail_texts_header[], mail_texts_lookalike[],
    mail_texts_content[], mail_texts_intel[], mail_texts_lure[];

/* mail-verdict.c: runs every check and sets score and verdict. */
void mail_evaluate(const struct mail_msg *m, struct mail_ctx *ctx, struct mail_result *r);
/* Text a person reads for a reason id in the current language (what looks
 * wrong), and the advice for a verdict. */
const char *mail_reason_text(const char *id);
const char *mail_verdict_advice(const struct mail_result *r);

/* The files inside an Outlook TNEF container (winmail.dat): fn is called
 * with each one's name (NULL if none) and bytes (pointing into buf, NULL if
 * none), at most MAIL_TNEF_MAX_FILES. Returns how many, or MAIL_TNEF_NOT when
 * buf is not TNEF (mail-tnef.c). */
#define MAIL_TNEF_MAX_FILES 64
#define MAIL_TNEF_NOT ((size_t)-1)
typedef void (*mail_tnef_fn)(void *arg, const char *name, const unsigned char *data, size_t len);
size_t mail_tnef_files(const unsigned char *buf, size_t len, mail_tnef_fn fn, void *arg);

/* A RAR archive (4 or 5): fn gets each file name as stored (not
 * NUL-terminated; fn may be NULL); encrypted when a file or the headers need a password.
 * False when d is not RAR (mail-rar.c). */
struct mail_rar_info {
    bool encrypted;
    unsigned entries;
};
typedef void (*mail_rar_name_fn)(void *arg, const unsigned char *name, size_t len);
bool mail_rar_inspect(const unsigned char *d, size_t n, struct mail_rar_info *ri,
                      mail_rar_name_fn fn, void *arg);

#endif
