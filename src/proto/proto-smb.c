/* proto-smb.c - SMB1/SMB2/SMB3 session start (app_parser_smb).
 *
 * Framing: NetBIOS session service (RFC 1002 4.3: type, flags/length, one
 * SMB message per type-0x00 frame) on 139 and the same 4-byte header with a
 * 24-bit length on 445 (MS-SMB2 2.1). Messages up to SMB_MAX_MSG are
 * buffered and parsed; longer ones (READ/WRITE data) keep their first
 * SMB_MAX_HEAD bytes and are skipped by length.
 *
 * What is read: NEGOTIATE (dialects offered and chosen, GUIDs), SESSION_SETUP
 * (NTLMSSP names from the security blob, SMB1 native OS/LanMan) and
 * TREE_CONNECT (share, share type) of SMB1 (MS-CIFS) and SMB2/3 (MS-SMB2),
 * file opens (CREATE / NT_CREATE_ANDX) on hidden shares (ADMIN$, C$, IPC$
 * pipes such as svcctl) and of programs written anywhere, and the SMB1
 * TRANS2 SESSION_SETUP subcommand DoublePulsar uses.
 * Each request is paired with its response by message id and logged as one
 * "smb" event in Suricata's shape. Once SMB3 encryption starts (0xFD
 * transform header) nothing more is readable and the parser lets go. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/app.h"
#include "proto/proto-ntlm.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

/* Trees remembered per session (a PsExec run uses two: ADMIN$ and IPC$). */
#define SMB_MAX_TREES 8

struct smb_dir {
    uint8_t nb[4];      /* NBSS header being collected */
    uint8_t nb_got;
    uint8_t nb_type;
    uint32_t msg_len;   /* of the current frame */
    uint32_t msg_got;
    uint8_t *buf;       /* SMB_MAX_MSG bytes, allocated on first use */
    bool dead;
};

struct smb_tx {
    bool used;
    bool smb1;
    uint16_t cmd;
    uint64_t msg_id;
    uint64_t seq;       /* creation order, to evict the oldest */
    json_t *body;
    json_t *extra;
};

struct smb_state {
    struct smb_dir d[2];
    struct smb_tx tx[SMB_MAX_PENDING];
    uint64_t next_id;   /* "id" of the next event */
    uint64_t seq;
    char dialect[24];   /* negotiated, "" until known */
    bool stopped;
    /* Share names of the trees connected, so a CREATE can say where the file
     * is (the lateral detector wants ADMIN$/C$/IPC$). Oldest replaced. */
    struct smb_tree {
        uint32_t id;
        bool used;
        char share[64];  /* last path component, "ADMIN$" */
    } trees[SMB_MAX_TREES];
    unsigned tree_next;
};

#define SMB1_NEGOTIATE 0x72
#define SMB1_SESSION_SETUP 0x73
#define SMB1_TREE_CONNECT 0x75
#define SMB2_NEGOTIATE 0
#define SMB2_SESSION_SETUP 1
#define SMB2_TREE_CONNECT 3
#define SMB2_CREATE 5
#define SMB1_NT_CREATE 0xa2
#define SMB1_TRANS2 0x32

#define SMB_STATUS_MORE_PROCESSING 0xc0000016u

static uint64_t smb_le64(struct rd *r)
{
    uint64_t lo = rd_le32(r);
    return lo | (uint64_t)rd_le32(r) << 32;
}

static const char *smb_status_name(uint32_t s)
{
    switch (s) {
    case 0x00000000: return "STATUS_SUCCESS";
    case 0x00000103: return "STATUS_PENDING";
    case 0xc000000d: return "STATUS_INVALID_PARAMETER";
    case 0xc0000016: return "STATUS_MORE_PROCESSING_REQUIRED";
    case 0xc0000022: return "STATUS_ACCESS_DENIED";
    case 0xc0000064: return "STATUS_NO_SUCH_USER";
    case 0xc000006a: return "STATUS_WRONG_PASSWORD";
    case 0xc000006d: return "STATUS_LOGON_FAILURE";
    case 0xc000006e: return "STATUS_ACCOUNT_RESTRICTION";
    case 0xc0000071: return "STATUS_PASSWORD_EXPIRED";
    case 0xc0000072: return "STATUS_ACCOUNT_DISABLED";
    case 0xc00000bb: return "STATUS_NOT_SUPPORTED";
    case 0xc00000cc: return "STATUS_BAD_NETWORK_NAME";
    case 0xc0000203: return "STATUS_USER_SESSION_DELETED";
    case 0xc0000234: return "STATUS_ACCOUNT_LOCKED_OUT";
    case 0xc000035c: return "STATUS_NETWORK_SESSION_EXPIRED";
    default: return "UNKNOWN";
    }
}

/* SMB2 dialect revision as Suricata writes it. */
static void smb2_dialect_str(uint16_t d, char *buf, size_t n)
{
    if (d == 0x02ff)
        snprintf(buf, n, "2.??");
    else
        snprintf(buf, n, "%x.%02x", d >> 8, d & 0xff);
}

/* MS-DTYP 2.3.4.2 GUID text: the first three fields are little-endian. */
static json_t *smb_guid_json(const uint8_t g[16])
{
    char s[40];
    snprintf(s, sizeof(s),
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[3], g[2],
             g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
             g[15]);
    return json_string_nocheck(s);
}

/* --- trees and files --- */

/* The share part of a tree-connect path ("\\\\dc1\\ADMIN$" -> "ADMIN$"). */
static void smb_tree_add(struct smb_state *st, uint32_t id, const char *path)
{
    if (!path)
        return;
    const char *b = strrchr(path, '\\');
    b = b ? b + 1 : path;
    struct smb_tree *t = NULL;
    for (unsigned i = 0; i < SMB_MAX_TREES && !t; i++)
        if (st->trees[i].used && st->trees[i].id == id)
            t = &st->trees[i];
    if (!t) {
        t = &st->trees[st->tree_next];
        st->tree_next = (st->tree_next + 1) % SMB_MAX_TREES;
    }
    t->used = true;
    t->id = id;
    snprintf(t->share, sizeof(t->share), "%s", b);
}

static const char *smb_tree_share(const struct smb_state *st, uint32_t id)
{
    for (unsigned i = 0; i < SMB_MAX_TREES; i++)
        if (st->trees[i].used && st->trees[i].id == id)
            return st->trees[i].share;
    return NULL;
}

/* Whether a file name ends in an extension that runs code. */
static bool smb_name_exec(const char *n)
{
    static const char *const ext[] = {".exe", ".dll", ".bat", ".cmd", ".ps1", ".vbs", ".scr",
                                      ".sys", ".msi", ".hta", ".js"};
    size_t l = strlen(n);
    for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
        size_t e = strlen(ext[i]);
        if (l > e && strcasecmp(n + l - e, ext[i]) == 0)
            return true;
    }
    return false;
}

/* File opens are logged only where they tell of remote administration: on
 * hidden shares (ADMIN$, C$, IPC$ pipes) and for programs written anywhere.
 * A file server session opens thousands of ordinary documents; logging each
 * would swamp the store. */
static bool smb_create_wanted(const char *share, const char *name, bool write)
{
    size_t sl = share ? strlen(share) : 0;
    if (sl > 0 && share[sl - 1] == '$')
        return true;
    return write && smb_name_exec(name);
}

static const char *smb_disposition_name(uint32_t d)
{
    static const char *const n[] = {"FILE_SUPERSEDE", "FILE_OPEN", "FILE_CREATE",
                                    "FILE_OPEN_IF", "FILE_OVERWRITE", "FILE_OVERWRITE_IF"};
    return d < ARRAY_SIZE(n) ? n[d] : "UNKNOWN";
}

/* FILE_WRITE_DATA, FILE_APPEND_DATA, GENERIC_WRITE, GENERIC_ALL, MAXIMUM_ALLOWED */
#define SMB_ACCESS_WRITE 0x12000006u

/* --- transactions --- */

static void smb_tx_emit(struct app_cx *cx, struct smb_state *st, struct smb_tx *tx)
{
    if (!json_object_get(tx->body, "dialect"))
        json_object_set_new_nocheck(tx->body, "dialect",
                                    app_json_cstr(st->dialect[0] ? st->dialect : "unknown"));
    json_object_set_new_nocheck(tx->body, "id", json_integer((json_int_t)st->next_id++));
    json_object_set_new_nocheck(tx->extra, "smb1", json_boolean(tx->smb1));
    app_event(cx, "smb", 0, tx->body, tx->extra);
    tx->used = false;
    tx->body = NULL;
    tx->extra = NULL;
}

static struct smb_tx *smb_tx_find(struct smb_state *st, bool smb1, uint16_t cmd, uint64_t id)
{
    for (unsigned i = 0; i < SMB_MAX_PENDING; i++) {
        struct smb_tx *tx = &st->tx[i];
        if (tx->used && tx->smb1 == smb1 && tx->cmd == cmd && tx->msg_id == id)
            return tx;
    }
    return NULL;
}

static struct smb_tx *smb_tx_new(struct app_cx *cx, struct smb_state *st, bool smb1, uint16_t cmd,
                                 uint64_t id, const char *command)
{
    struct smb_tx *tx = smb_tx_find(st, smb1, cmd, id);
    if (tx) /* a request reusing an id: the old one had no response */
        smb_tx_emit(cx, st, tx);
    struct smb_tx *oldest = &st->tx[0];
    tx = NULL;
    for (unsigned i = 0; i < SMB_MAX_PENDING && !tx; i++) {
        if (!st->tx[i].used)
            tx = &st->tx[i];
        else if (st->tx[i].seq < oldest->seq)
            oldest = &st->tx[i];
    }
    if (!tx) {
        smb_tx_emit(cx, st, oldest);
        tx = oldest;
    }
    tx->used = true;
    tx->smb1 = smb1;
    tx->cmd = cmd;
    tx->msg_id = id;
    tx->seq = st->seq++;
    tx->body = json_object();
    tx->extra = json_object();
    json_object_set_new_nocheck(tx->body, "command", json_string_nocheck(command));
    return tx;
}

/* The response's transaction: the pending request, or a new one when the
 * request was not seen (capture started late). */
static struct smb_tx *smb_tx_response(struct app_cx *cx, struct smb_state *st, bool smb1,
                                      uint16_t cmd, uint64_t id, const char *command)
{
    struct smb_tx *tx = smb_tx_find(st, smb1, cmd, id);
    return tx ? tx : smb_tx_new(cx, st, smb1, cmd, id, command);
}

static void smb_tx_status(struct smb_tx *tx, uint32_t status)
{
    char code[16] = "0x";
    char *end = put_hex(code + 2, status);
    json_object_set_new_nocheck(tx->body, "status", json_string_nocheck(smb_status_name(status)));
    json_object_set_new_nocheck(tx->body, "status_code",
                                json_stringn_nocheck(code, (size_t)(end - code)));
}

/* NTLMSSP inside a security blob (SPNEGO or raw). */
static void smb_blob(struct app_cx *cx, struct smb_tx *tx, const uint8_t *p, uint32_t len)
{
    int32_t at = ntlm_find(p, len);
    if (at < 0)
        return;
    struct ntlm_msg *m = xmalloc(sizeof(*m));
    if (ntlm_parse(p + at, len - (uint32_t)at, m) != 0) {
        app_anomaly(cx, "smb.ntlmssp_malformed");
        free(m);
        return;
    }
    if (m->malformed)
        app_anomaly(cx, "smb.ntlmssp_malformed");
    if (m->type == NTLM_AUTHENTICATE)
        json_object_set_new_nocheck(tx->body, "ntlmssp", ntlm_auth_json(m));
    ntlm_extra_json(m, tx->extra);
    free(m);
}

/* --- SMB2 (MS-SMB2 2.2) --- */

struct smb2_hdr {
    uint32_t status;
    uint16_t cmd;
    uint32_t flags;
    uint32_t next;
    uint64_t msg_id;
    uint32_t tree_id;
    uint64_t session_id;
};

static void smb2_negotiate(struct app_cx *cx, struct smb_state *st, const struct smb2_hdr *h,
                           bool resp, struct rd *b)
{
    if (!resp) {
        struct smb_tx *tx = smb_tx_new(cx, st, false, SMB2_NEGOTIATE, h->msg_id,
                                       "SMB2_COMMAND_NEGOTIATE_PROTOCOL");
        rd_skip(b, 2);
        uint16_t count = rd_le16(b);
        rd_skip(b, 8);
        uint8_t guid[16];
        rd_bytes(b, guid, 16);
        rd_skip(b, 8);
        if (!rd_ok(b)) {
            app_anomaly(cx, "smb.truncated");
            return;
        }
        json_object_set_new_nocheck(tx->body, "client_guid", smb_guid_json(guid));
        json_t *a = json_array();
        for (unsigned i = 0; i < count && i < SMB_MAX_DIALECTS; i++) {
            uint16_t d = rd_le16(b);
            if (!rd_ok(b))
                break;
            char s[16];
            smb2_dialect_str(d, s, sizeof(s));
            json_array_append_new(a, json_string(s));
        }
        if (json_array_size(a))
            json_object_set_new_nocheck(tx->body, "client_dialects", a);
        else
            json_decref(a);
        return;
    }
    /* The response may answer an SMB1 NEGOTIATE that offered "SMB 2.???"
     * (MS-SMB2 3.3.5.3): both have message id 0. */
    struct smb_tx *tx = smb_tx_find(st, false, SMB2_NEGOTIATE, h->msg_id);
    if (!tx && h->msg_id == 0)
        tx = smb_tx_find(st, true, SMB1_NEGOTIATE, 0);
    if (!tx)
        tx = smb_tx_new(cx, st, false, SMB2_NEGOTIATE, h->msg_id,
                        "SMB2_COMMAND_NEGOTIATE_PROTOCOL");
    smb_tx_status(tx, h->status);
    json_object_set_new_nocheck(tx->body, "session_id", json_integer((json_int_t)h->session_id));
    if (h->status == 0) {
        rd_skip(b, 4);
        uint16_t dialect = rd_le16(b);
        rd_skip(b, 2);
        uint8_t guid[16];
        rd_bytes(b, guid, 16);
        rd_skip(b, 8); /* Capabilities, MaxTransactSize */
        uint32_t max_read = rd_le32(b);
        uint32_t max_write = rd_le32(b);
        if (!rd_ok(b)) {
            app_anomaly(cx, "smb.truncated");
        } else {
            smb2_dialect_str(dialect, st->dialect, sizeof(st->dialect));
            json_object_set_new_nocheck(tx->body, "dialect", json_string(st->dialect));
            json_object_set_new_nocheck(tx->body, "server_guid", smb_guid_json(guid));
            json_object_set_new_nocheck(tx->body, "max_read_size", json_integer(max_read));
            json_object_set_new_nocheck(tx->body, "max_write_size", json_integer(max_write));
        }
    }
    smb_tx_emit(cx, st, tx);
}

/* A security buffer {offset le16 from the SMB2 header, length le16}. */
static void smb2_secbuf(struct app_cx *cx, struct smb_tx *tx, const uint8_t *msg, uint32_t len,
                        uint16_t off, uint16_t blen)
{
    if (blen == 0)
        return;
    if (off > len || blen > len - off) {
        app_anomaly(cx, "smb.truncated");
        blen = off > len ? 0 : (uint16_t)(len - off);
    }
    smb_blob(cx, tx, msg + off, blen);
}

static void smb2_session_setup(struct app_cx *cx, struct smb_state *st, const struct smb2_hdr *h,
                               bool resp, struct rd *b, const uint8_t *msg, uint32_t len)
{
    static const char cmd[] = "SMB2_COMMAND_SESSION_SETUP";
    if (!resp) {
        struct smb_tx *tx = smb_tx_new(cx, st, false, SMB2_SESSION_SETUP, h->msg_id, cmd);
        rd_skip(b, 12);
        uint16_t off = rd_le16(b);
        uint16_t blen = rd_le16(b);
        if (!rd_ok(b)) {
            app_anomaly(cx, "smb.truncated");
            return;
        }
        smb2_secbuf(cx, tx, msg, len, off, blen);
        return;
    }
    struct smb_tx *tx = smb_tx_response(cx, st, false, SMB2_SESSION_SETUP, h->msg_id, cmd);
    smb_tx_status(tx, h->status);
    json_object_set_new_nocheck(tx->body, "session_id", json_integer((json_int_t)h->session_id));
    if (h->status == 0 || h->status == SMB_STATUS_MORE_PROCESSING) {
        rd_skip(b, 2);
        uint16_t flags = rd_le16(b);
        uint16_t off = rd_le16(b);
        uint16_t blen = rd_le16(b);
        if (!rd_ok(b)) {
            app_anomaly(cx, "smb.truncated");
        } else {
            if (flags & 0x1)
                json_object_set_new_nocheck(tx->extra, "guest", json_true());
            if (flags & 0x2)
                json_object_set_new_nocheck(tx->extra, "null_session", json_true());
            if (flags & 0x4)
                json_object_set_new_nocheck(tx->extra, "encrypted", json_true());
            smb2_secbuf(cx, tx, msg, len, off, blen);
        }
    }
    smb_tx_emit(cx, st, tx);
}

static void smb2_tree_connect(struct app_cx *cx, struct smb_state *st, const struct smb2_hdr *h,
                              bool resp, struct rd *b, const uint8_t *msg, uint32_t len)
{
    static const char cmd[] = "SMB2_COMMAND_TREE_CONNECT";
    if (!resp) {
        struct smb_tx *tx = smb_tx_new(cx, st, false, SMB2_TREE_CONNECT, h->msg_id, cmd);
        rd_skip(b, 4);
        uint16_t off = rd_le16(b);
        uint16_t plen = rd_le16(b);
        if (!rd_ok(b) || off > len || plen > len - off) {
            app_anomaly(cx, "smb.truncated");
            return;
        }
        json_object_set_new_nocheck(tx->body, "share", ntlm_utf16le_json(msg + off, plen));
        return;
    }
    struct smb_tx *tx = smb_tx_response(cx, st, false, SMB2_TREE_CONNECT, h->msg_id, cmd);
    smb_tx_status(tx, h->status);
    json_object_set_new_nocheck(tx->body, "session_id", json_integer((json_int_t)h->session_id));
    json_object_set_new_nocheck(tx->body, "tree_id", json_integer(h->tree_id));
    if (h->status == 0)
        smb_tree_add(st, h->tree_id, json_string_value(json_object_get(tx->body, "share")));
    if (h->status == 0) {
        rd_skip(b, 2);
        uint8_t type = rd_u8(b);
        if (rd_ok(b) && type >= 1 && type <= 3) {
            static const char *const types[] = {"FILE", "PIPE", "PRINT"};
            json_object_set_new_nocheck(tx->body, "share_type", json_string(types[type - 1]));
        }
    }
    smb_tx_emit(cx, st, tx);
}

/* CREATE (MS-SMB2 2.2.13/2.2.14): only the opens smb_create_wanted() keeps. */
static void smb2_create(struct app_cx *cx, struct smb_state *st, const struct smb2_hdr *h,
                        bool resp, struct rd *b, const uint8_t *msg, uint32_t len)
{
    if (resp) {
        struct smb_tx *tx = smb_tx_find(st, false, SMB2_CREATE, h->msg_id);
        if (!tx)
            return; /* an open we did not keep */
        smb_tx_status(tx, h->status);
        smb_tx_emit(cx, st, tx);
        return;
    }
    rd_skip(b, 24);
    uint32_t access = rd_le32(b);
    rd_skip(b, 8);
    uint32_t disp = rd_le32(b);
    rd_skip(b, 4);
    uint16_t off = rd_le16(b);
    uint16_t nlen = rd_le16(b);
    if (!rd_ok(b) || off > len || nlen > len - off) {
        app_anomaly(cx, "smb.truncated");
        return;
    }
    json_t *name = ntlm_utf16le_json(msg + off, nlen);
    const char *share = smb_tree_share(st, h->tree_id);
    bool write = (access & SMB_ACCESS_WRITE) != 0 || disp != 1;
    if (!smb_create_wanted(share, json_string_value(name), write)) {
        json_decref(name);
        return;
    }
    struct smb_tx *tx = smb_tx_new(cx, st, false, SMB2_CREATE, h->msg_id, "SMB2_COMMAND_CREATE");
    json_object_set_new_nocheck(tx->body, "filename", name);
    json_object_set_new_nocheck(tx->body, "disposition", json_string(smb_disposition_name(disp)));
    json_object_set_new_nocheck(tx->body, "tree_id", json_integer(h->tree_id));
    if (share)
        json_object_set_new_nocheck(tx->body, "share", app_json_cstr(share));
    json_object_set_new_nocheck(tx->extra, "write", json_boolean(write));
}

static void smb2_message(struct app_cx *cx, struct smb_state *st, const uint8_t *p, uint32_t len)
{
    /* Compound chain (MS-SMB2 3.2.4.1.4): NextCommand is the offset of the
     * next header from this one, 8-byte aligned, always forward. */
    for (unsigned n = 0; n < SMB_MAX_COMPOUND && len > 0; n++) {
        struct rd r;
        rd_init(&r, p, len);
        struct smb2_hdr h;
        rd_skip(&r, 4);
        uint16_t hsize = rd_le16(&r);
        rd_skip(&r, 2);
        h.status = rd_le32(&r);
        h.cmd = rd_le16(&r);
        rd_skip(&r, 2);
        h.flags = rd_le32(&r);
        h.next = rd_le32(&r);
        h.msg_id = smb_le64(&r);
        rd_skip(&r, 4);
        h.tree_id = rd_le32(&r);
        h.session_id = smb_le64(&r);
        rd_skip(&r, 16);
        if (!rd_ok(&r) || hsize != 64 || memcmp(p, "\xfeSMB", 4) != 0) {
            app_anomaly(cx, n == 0 ? "smb.truncated" : "smb.invalid_compound");
            return;
        }
        if (h.flags & 0x2) /* async: the tree id field is part of AsyncId */
            h.tree_id = 0;
        uint32_t mlen = h.next ? MIN(h.next, len) : len;
        struct rd b;
        rd_init(&b, p + 64, mlen - 64);
        bool resp = (h.flags & 0x1) != 0;
        switch (h.cmd) {
        case SMB2_NEGOTIATE:
            smb2_negotiate(cx, st, &h, resp, &b);
            break;
        case SMB2_SESSION_SETUP:
            smb2_session_setup(cx, st, &h, resp, &b, p, mlen);
            break;
        case SMB2_TREE_CONNECT:
            smb2_tree_connect(cx, st, &h, resp, &b, p, mlen);
            break;
        case SMB2_CREATE:
            smb2_create(cx, st, &h, resp, &b, p, mlen);
            break;
        default:
            break;
        }
        if (h.next == 0)
            return;
        if (h.next < 64 || h.next > len) {
            app_anomaly(cx, "smb.invalid_compound");
            return;
        }
        p += h.next;
        len -= h.next;
    }
}

/* --- SMB1 (MS-CIFS 2.2) --- */

struct smb1_hdr {
    uint8_t cmd;
    uint32_t status;
    uint8_t flags;
    uint16_t flags2;
    uint16_t tid, uid, mid;
};

#define SMB1_FLAGS2_UNICODE 0x8000

/* A NUL-terminated string at b's position: UTF-16LE (aligned to 2 bytes
 * from the SMB header, hdr_off being b's offset from it) or OEM. Advances
 * past it. */
static json_t *smb1_string(struct rd *b, uint32_t hdr_off, bool unicode)
{
    const uint8_t *p = rd_ptr(b);
    uint32_t n = rd_left(b);
    if (unicode) {
        if ((hdr_off + b->off) & 1) {
            rd_skip(b, 1);
            p = rd_ptr(b);
            n = rd_left(b);
        }
        uint32_t units = 0;
        while (units < n / 2 && (p[2 * units] | p[2 * units + 1]) != 0)
            units++;
        json_t *s = ntlm_utf16le_json(p, units * 2);
        rd_skip(b, MIN(units * 2 + 2, n & ~1u));
        return s;
    }
    const uint8_t *nul = memchr(p, 0, n);
    uint32_t sl = nul ? (uint32_t)(nul - p) : n;
    json_t *s = app_json_str(p, sl, NTLM_MAX_NAME);
    rd_skip(b, nul ? sl + 1 : sl);
    return s;
}

static const char *smb1_share_type(const uint8_t *svc, uint32_t n)
{
    if (n >= 3 && memcmp(svc, "IPC", 3) == 0)
        return "PIPE";
    if (n >= 2 && memcmp(svc, "A:", 2) == 0)
        return "FILE";
    if (n >= 3 && memcmp(svc, "LPT", 3) == 0)
        return "PRINT";
    return NULL;
}

static void smb1_negotiate(struct app_cx *cx, struct smb_state *st, const struct smb1_hdr *h,
                           bool resp, struct rd *words, struct rd *bytes)
{
    static const char cmd[] = "SMB1_COMMAND_NEGOTIATE_PROTOCOL";
    if (!resp) {
        struct smb_tx *tx = smb_tx_new(cx, st, true, SMB1_NEGOTIATE, h->mid, cmd);
        json_t *a = json_array();
        /* Each dialect is 0x02 then a NUL-terminated string. */
        for (unsigned i = 0; i < SMB_MAX_DIALECTS && rd_left(bytes) > 0; i++) {
            if (rd_u8(bytes) != 0x02) {
                app_anomaly(cx, "smb.invalid_negotiate");
                break;
            }
            json_array_append_new(a, smb1_string(bytes, 0, false));
        }
        if (json_array_size(a))
            json_object_set_new_nocheck(tx->body, "client_dialects", a);
        else
            json_decref(a);
        return;
    }
    struct smb_tx *tx = smb_tx_response(cx, st, true, SMB1_NEGOTIATE, h->mid, cmd);
    smb_tx_status(tx, h->status);
    uint16_t idx = rd_le16(words);
    if (rd_ok(words)) {
        json_t *offered = json_object_get(tx->body, "client_dialects");
        json_t *d = offered ? json_array_get(offered, idx) : NULL;
        if (d) {
            const char *ds = json_string_value(d);
            snprintf(st->dialect, sizeof(st->dialect), "%s", ds);
            json_object_set_new_nocheck(tx->body, "dialect", app_json_cstr(ds));
        }
        /* NT LM 0.12 with extended security: the server GUID leads the
         * bytes (MS-SMB 2.2.4.5.2). */
        rd_skip(words, 17);
        uint32_t caps = rd_le32(words);
        if (rd_ok(words) && (caps & 0x80000000u) && rd_left(bytes) >= 16) {
            uint8_t guid[16];
            rd_bytes(bytes, guid, 16);
            json_object_set_new_nocheck(tx->body, "server_guid", smb_guid_json(guid));
        }
    }
    smb_tx_emit(cx, st, tx);
}

static void smb1_session_setup(struct app_cx *cx, struct smb_state *st, const struct smb1_hdr *h,
                               bool resp, struct rd *words, struct rd *bytes, uint32_t bytes_off)
{
    static const char cmd[] = "SMB1_COMMAND_SESSION_SETUP_ANDX";
    bool uni = (h->flags2 & SMB1_FLAGS2_UNICODE) != 0;
    uint32_t nwords = rd_left(words) / 2;
    struct smb_tx *tx = resp ? smb_tx_response(cx, st, true, SMB1_SESSION_SETUP, h->mid, cmd)
                             : smb_tx_new(cx, st, true, SMB1_SESSION_SETUP, h->mid, cmd);
    json_t *os = json_object();
    if (!resp && nwords == 12) {
        /* Extended security: blob, NativeOS, NativeLanMan. */
        rd_skip(words, 14);
        uint16_t blen = rd_le16(words);
        struct rd blob;
        if (!rd_sub(bytes, blen, &blob))
            app_anomaly(cx, "smb.truncated");
        smb_blob(cx, tx, blob.p, blob.len);
    } else if (!resp && nwords == 13) {
        /* Plain NT LM 0.12 logon: passwords (never read), account, domain. */
        rd_skip(words, 14);
        uint16_t oem = rd_le16(words);
        uint16_t ucs = rd_le16(words);
        rd_skip(bytes, oem);
        rd_skip(bytes, ucs);
        if (rd_ok(bytes)) {
            json_object_set_new_nocheck(tx->extra, "account", smb1_string(bytes, bytes_off, uni));
            json_object_set_new_nocheck(tx->extra, "primary_domain",
                                        smb1_string(bytes, bytes_off, uni));
        }
    } else if (resp && nwords == 4) {
        rd_skip(words, 6);
        uint16_t blen = rd_le16(words);
        struct rd blob;
        if (!rd_sub(bytes, blen, &blob))
            app_anomaly(cx, "smb.truncated");
        smb_blob(cx, tx, blob.p, blob.len);
    } else if (!(resp && nwords == 3)) {
        rd_skip(bytes, rd_left(bytes)); /* unknown layout: no strings */
    }
    if (rd_ok(bytes) && rd_left(bytes) > 0) {
        json_object_set_new_nocheck(os, "native_os", smb1_string(bytes, bytes_off, uni));
        json_object_set_new_nocheck(os, "native_lm", smb1_string(bytes, bytes_off, uni));
    }
    if (json_object_size(os))
        json_object_set_new_nocheck(tx->body, resp ? "response" : "request", os);
    else
        json_decref(os);
    if (resp) {
        smb_tx_status(tx, h->status);
        json_object_set_new_nocheck(tx->body, "session_id", json_integer(h->uid));
        smb_tx_emit(cx, st, tx);
    }
}

static void smb1_tree_connect(struct app_cx *cx, struct smb_state *st, const struct smb1_hdr *h,
                              bool resp, struct rd *words, struct rd *bytes, uint32_t bytes_off)
{
    static const char cmd[] = "SMB1_COMMAND_TREE_CONNECT_ANDX";
    if (!resp) {
        struct smb_tx *tx = smb_tx_new(cx, st, true, SMB1_TREE_CONNECT, h->mid, cmd);
        rd_skip(words, 6);
        uint16_t pwlen = rd_le16(words);
        rd_skip(bytes, pwlen); /* share password (share-level security): never read */
        if (!rd_ok(words) || !rd_ok(bytes)) {
            app_anomaly(cx, "smb.truncated");
            return;
        }
        bool uni = (h->flags2 & SMB1_FLAGS2_UNICODE) != 0;
        json_object_set_new_nocheck(tx->body, "share", smb1_string(bytes, bytes_off, uni));
        return;
    }
    struct smb_tx *tx = smb_tx_response(cx, st, true, SMB1_TREE_CONNECT, h->mid, cmd);
    smb_tx_status(tx, h->status);
    json_object_set_new_nocheck(tx->body, "session_id", json_integer(h->uid));
    json_object_set_new_nocheck(tx->body, "tree_id", json_integer(h->tid));
    if (h->status == 0)
        smb_tree_add(st, h->tid, json_string_value(json_object_get(tx->body, "share")));
    if (h->status == 0 && rd_left(bytes) > 0) {
        const char *t = smb1_share_type(rd_ptr(bytes), rd_left(bytes));
        if (t)
            json_object_set_new_nocheck(tx->body, "share_type", json_string(t));
    }
    smb_tx_emit(cx, st, tx);
}

/* NT_CREATE_ANDX (MS-CIFS 2.2.4.64): as smb2_create(). */
static void smb1_nt_create(struct app_cx *cx, struct smb_state *st, const struct smb1_hdr *h,
                           bool resp, struct rd *words, struct rd *bytes, uint32_t bytes_off)
{
    if (resp) {
        struct smb_tx *tx = smb_tx_find(st, true, SMB1_NT_CREATE, h->mid);
        if (!tx)
            return;
        smb_tx_status(tx, h->status);
        smb_tx_emit(cx, st, tx);
        return;
    }
    rd_skip(words, 15);
    uint32_t access = rd_le32(words);
    rd_skip(words, 16);
    uint32_t disp = rd_le32(words);
    if (!rd_ok(words) || !rd_ok(bytes)) {
        app_anomaly(cx, "smb.truncated");
        return;
    }
    bool uni = (h->flags2 & SMB1_FLAGS2_UNICODE) != 0;
    json_t *name = smb1_string(bytes, bytes_off, uni);
    const char *share = smb_tree_share(st, h->tid);
    bool write = (access & SMB_ACCESS_WRITE) != 0 || disp != 1;
    if (!smb_create_wanted(share, json_string_value(name), write)) {
        json_decref(name);
        return;
    }
    struct smb_tx *tx =
        smb_tx_new(cx, st, true, SMB1_NT_CREATE, h->mid, "SMB1_COMMAND_NT_CREATE_ANDX");
    json_object_set_new_nocheck(tx->body, "filename", name);
    json_object_set_new_nocheck(tx->body, "disposition", json_string(smb_disposition_name(disp)));
    json_object_set_new_nocheck(tx->body, "tree_id", json_integer(h->tid));
    if (share)
        json_object_set_new_nocheck(tx->body, "share", app_json_cstr(share));
    json_object_set_new_nocheck(tx->extra, "write", json_boolean(write));
}

/* TRANS2 requests are ordinary SMB1 directory listings, except subcommand
 * SESSION_SETUP (0x000e), reserved and never sent by Windows: the DoublePulsar
 * backdoor planted by EternalBlue (WannaCry, NotPetya) is driven through it.
 * Only that one is logged. */
static void smb1_trans2(struct app_cx *cx, struct smb_state *st, const struct smb1_hdr *h,
                        bool resp, struct rd *words)
{
    if (resp)
        return;
    rd_skip(words, 26);
    uint8_t nsetup = rd_u8(words);
    rd_skip(words, 1);
    uint16_t sub = rd_le16(words);
    if (!rd_ok(words) || nsetup < 1 || sub != 0x000e)
        return;
    struct smb_tx *tx = smb_tx_new(cx, st, true, SMB1_TRANS2, h->mid, "SMB1_COMMAND_TRANS2");
    json_object_set_new_nocheck(tx->body, "subcmd", json_string_nocheck("0x000e"));
    json_object_set_new_nocheck(tx->extra, "doublepulsar", json_true());
    smb_tx_emit(cx, st, tx);
}

static void smb1_message(struct app_cx *cx, struct smb_state *st, const uint8_t *p, uint32_t len)
{
    struct rd r;
    rd_init(&r, p, len);
    struct smb1_hdr h;
    rd_skip(&r, 4);
    h.cmd = rd_u8(&r);
    h.status = rd_le32(&r);
    h.flags = rd_u8(&r);
    h.flags2 = rd_le16(&r);
    rd_skip(&r, 12);
    h.tid = rd_le16(&r);
    rd_skip(&r, 2);
    h.uid = rd_le16(&r);
    h.mid = rd_le16(&r);
    if (!rd_ok(&r)) {
        app_anomaly(cx, "smb.truncated");
        return;
    }
    bool resp = (h.flags & 0x80) != 0;
    uint8_t cmd = h.cmd;
    uint32_t off = 32;
    /* AndX chain (MS-CIFS 2.2.3.4): each block names the next command and
     * its offset from the header, which must move forward. */
    for (unsigned n = 0; n < 4; n++) {
        struct rd b;
        rd_init(&b, p, len);
        rd_skip(&b, off);
        uint8_t wc = rd_u8(&b);
        struct rd words, bytes;
        bool ok = rd_sub(&b, (uint32_t)wc * 2, &words);
        uint16_t bc = rd_le16(&b);
        uint32_t bytes_off = b.off;
        ok = rd_sub(&b, bc, &bytes) && ok;
        if (!rd_ok(&b) || !ok) {
            /* An error response may carry no words; anything else short
             * is truncated. */
            if (!(resp && h.status != 0 && wc == 0))
                app_anomaly(cx, "smb.truncated");
        }
        /* Peek at the AndX header before the handlers consume words. */
        struct rd ax = words;
        uint8_t next_cmd = rd_u8(&ax);
        rd_skip(&ax, 1);
        uint16_t next_off = rd_le16(&ax);
        bool andx = false;
        h.cmd = cmd;
        switch (cmd) {
        case SMB1_NEGOTIATE:
            smb1_negotiate(cx, st, &h, resp, &words, &bytes);
            break;
        case SMB1_SESSION_SETUP:
            smb1_session_setup(cx, st, &h, resp, &words, &bytes, bytes_off);
            andx = true;
            break;
        case SMB1_TREE_CONNECT:
            smb1_tree_connect(cx, st, &h, resp, &words, &bytes, bytes_off);
            andx = true;
            break;
        case SMB1_NT_CREATE:
            smb1_nt_create(cx, st, &h, resp, &words, &bytes, bytes_off);
            andx = true;
            break;
        case SMB1_TRANS2:
            smb1_trans2(cx, st, &h, resp, &words);
            break;
        default:
            break;
        }
        if (!andx || !rd_ok(&ax) || next_cmd == 0xff || wc == 0)
            return;
        if (next_off <= off || next_off >= len) {
            app_anomaly(cx, "smb.invalid_andx");
            return;
        }
        cmd = next_cmd;
        off = next_off;
    }
}

/* --- framing --- */

static void smb_message(struct app_cx *cx, struct smb_state *st, const uint8_t *p, uint32_t len,
                        bool cut)
{
    if (len < 4) {
        app_anomaly(cx, "smb.truncated");
        return;
    }
    if (memcmp(p, "\xfdSMB", 4) == 0) {
        /* SMB3 transform header: the rest of the session is encrypted. */
        st->stopped = true;
        app_done(cx, -1);
        return;
    }
    bool smb2 = memcmp(p, "\xfeSMB", 4) == 0;
    bool smb1 = memcmp(p, "\xffSMB", 4) == 0;
    if (!smb1 && !smb2) {
        if (memcmp(p, "\xfcSMB", 4) != 0) /* compressed (3.1.1): skipped */
            app_anomaly(cx, "smb.invalid_header");
        return;
    }
    if (cut) {
        /* Only data-carrying commands are this big; the ones we read never
         * are. */
        uint16_t cmd = smb2 ? (uint16_t)(len >= 14 ? p[12] | p[13] << 8 : 0xffff)
                            : (uint16_t)(len >= 5 ? p[4] : 0xff);
        bool ours = smb2 ? cmd <= SMB2_TREE_CONNECT && cmd != 2
                         : cmd == SMB1_NEGOTIATE || cmd == SMB1_SESSION_SETUP ||
                               cmd == SMB1_TREE_CONNECT;
        if (ours)
            app_anomaly(cx, "smb.message_too_long");
        return;
    }
    if (smb2)
        smb2_message(cx, st, p, len);
    else
        smb1_message(cx, st, p, len);
}

static void smb_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct smb_state *st = state;
    struct smb_dir *d = &st->d[dir ? 1 : 0];
    /* Each pass consumes at least one byte or ends the direction. */
    while (len > 0 && !d->dead && !st->stopped) {
        if (d->nb_got < 4) {
            d->nb[d->nb_got++] = *data++;
            len--;
            if (d->nb_got < 4)
                continue;
            d->nb_type = d->nb[0];
            d->msg_got = 0;
            switch (d->nb_type) {
            case 0x00: /* session message; 445 uses all 24 bits */
                d->msg_len = (uint32_t)d->nb[1] << 16 | (uint32_t)d->nb[2] << 8 | d->nb[3];
                break;
            case 0x81: case 0x82: case 0x83: case 0x84: case 0x85:
                /* RFC 1002 4.3.1: the flags byte holds the 17th bit. */
                d->msg_len = (uint32_t)(d->nb[1] & 1) << 16 | (uint32_t)d->nb[2] << 8 | d->nb[3];
                break;
            default:
                app_anomaly(cx, "smb.invalid_nbss");
                d->dead = true;
                continue;
            }
            if (d->msg_len == 0)
                d->nb_got = 0;
            continue;
        }
        uint32_t take = MIN(d->msg_len - d->msg_got, len);
        if (d->nb_type == 0x00) {
            uint32_t cap = d->msg_len > SMB_MAX_MSG ? SMB_MAX_HEAD : SMB_MAX_MSG;
            uint32_t keep = d->msg_got < cap ? MIN(take, cap - d->msg_got) : 0;
            if (keep) {
                if (!d->buf)
                    d->buf = xmalloc(SMB_MAX_MSG);
                memcpy(d->buf + d->msg_got, data, keep);
            }
        }
        d->msg_got += take;
        data += take;
        len -= take;
        if (d->msg_got < d->msg_len)
            continue;
        d->nb_got = 0;
        if (d->nb_type == 0x00) {
            bool cut = d->msg_len > SMB_MAX_MSG;
            smb_message(cx, st, d->buf, cut ? SMB_MAX_HEAD : d->msg_len, cut);
        }
    }
}

static void smb_gap(struct app_cx *cx, void *state, int dir)
{
    (void)cx;
    struct smb_state *st = state;
    /* Framing is lost; NEEDSWORK: resync on the next "\xfeSMB" header. */
    st->d[dir ? 1 : 0].dead = true;
}

static void smb_end(struct app_cx *cx, void *state)
{
    struct smb_state *st = state;
    /* Requests without a response, oldest first. */
    for (unsigned n = 0; n < SMB_MAX_PENDING; n++) {
        struct smb_tx *oldest = NULL;
        for (unsigned i = 0; i < SMB_MAX_PENDING; i++)
            if (st->tx[i].used && (!oldest || st->tx[i].seq < oldest->seq))
                oldest = &st->tx[i];
        if (!oldest)
            break;
        smb_tx_emit(cx, st, oldest);
    }
}

static void smb_release(void *state)
{
    struct smb_state *st = state;
    for (int i = 0; i < 2; i++) {
        free(st->d[i].buf);
        st->d[i].buf = NULL;
    }
    for (unsigned i = 0; i < SMB_MAX_PENDING; i++) {
        json_decref(st->tx[i].body);
        json_decref(st->tx[i].extra);
        st->tx[i].body = st->tx[i].extra = NULL;
        st->tx[i].used = false;
    }
}

static enum app_probe_result smb_probe(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    if (len >= 1 && data[0] == 0x81 && dir == 0) {
        /* NetBIOS session request (port 139): two 34-byte encoded names. */
        if (len < 4)
            return APP_PROBE_NEED_MORE;
        return data[1] == 0 && data[2] == 0 && data[3] == 68 ? APP_PROBE_YES : APP_PROBE_NO;
    }
    if (len >= 1 && data[0] != 0x00)
        return APP_PROBE_NO;
    if (len < 8)
        return APP_PROBE_NEED_MORE;
    if ((data[4] == 0xff || data[4] == 0xfe || data[4] == 0xfd) && data[5] == 'S' &&
        data[6] == 'M' && data[7] == 'B')
        return APP_PROBE_YES;
    return APP_PROBE_NO;
}

static const uint16_t smb_ports[] = {445, 139, 0};

const struct app_parser app_parser_smb = {
    .id = APP_SMB,
    .name = "smb",
    .ipproto = 6,
    .ports = smb_ports,
    .probe = smb_probe,
    .state_size = sizeof(struct smb_state),
    .feed = smb_feed,
    .gap = smb_gap,
    .end = smb_end,
    .release = smb_release,
};
