/* scn-smb.c - a minimal SMB2 dialogue and DCE/RPC bind for scenarios: enough
 * for the parsers' facts (shares, files, RPC interfaces). Used by the lateral
 * movement scenarios and the incident scenario. */
#include <string.h>

#include "scenario/scn-build.h"
#include "util/util.h"

static void scn_smb_send(struct scn *s, struct scn_smb *m, int dir, uint16_t cmd, uint32_t status,
                         const struct scn_buf *body)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_u8(&b, 0);
    scn_buf_u24(&b, (uint32_t)(64 + body->len));
    scn_buf_mem(&b, "\xfeSMB", 4);
    scn_buf_le16(&b, 64);
    scn_buf_le16(&b, 1);
    scn_buf_le32(&b, status);
    scn_buf_le16(&b, cmd);
    scn_buf_le16(&b, 1);
    scn_buf_le32(&b, dir ? 1 : 0);
    scn_buf_le32(&b, 0);
    scn_buf_le64(&b, m->mid);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, m->tree);
    scn_buf_le64(&b, 0x0000400000000011ull);
    scn_buf_zero(&b, 16);
    scn_buf_mem(&b, body->p, body->len);
    scn_tcp_send(s, &m->c, dir, b.p, b.len);
    scn_buf_free(&b);
}

void scn_smb_open(struct scn *s, struct scn_smb *m, struct scn_host *cli, struct scn_host *srv,
                  uint64_t t0)
{
    struct scn_buf b;
    memset(m, 0, sizeof(*m));
    scn_buf_init(&b);
    scn_tcp_open(s, &m->c, cli, srv, 0, 445, false, t0, scn_rng_range(&s->rng, 150, 600));
    scn_buf_le16(&b, 36);
    scn_buf_le16(&b, 2);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0x7f);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 0x0210);
    scn_buf_le16(&b, 0x0302);
    scn_smb_send(s, m, 0, 0, 0, &b);
    scn_buf_clear(&b);
    scn_buf_le16(&b, 65);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0x0302);
    scn_buf_le16(&b, 0);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le32(&b, 0x2f);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_zero(&b, 16);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    scn_smb_send(s, m, 1, 0, 0, &b);
    m->mid++;
    scn_buf_free(&b);
}

void scn_smb_tree(struct scn *s, struct scn_smb *m, const char *path, uint32_t tree)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_le16(&b, 9);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 64 + 8);
    scn_buf_le16(&b, (uint16_t)(2 * strlen(path)));
    scn_buf_utf16(&b, path);
    m->tree = 0;
    scn_smb_send(s, m, 0, 3, 0, &b);
    m->tree = tree;
    scn_buf_clear(&b);
    scn_buf_le16(&b, 16);
    scn_buf_u8(&b, strstr(path, "IPC$") ? 2 : 1);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0x001f01ff);
    scn_smb_send(s, m, 1, 3, 0, &b);
    m->mid++;
    scn_buf_free(&b);
}

/* CREATE name on the current tree (write: GENERIC_WRITE, OVERWRITE_IF), then
 * len bytes written (one WRITE) and CLOSE skipped: the parser needs no more. */
void scn_smb_create(struct scn *s, struct scn_smb *m, const char *name, bool write, size_t len)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_le16(&b, 57);
    scn_buf_u8(&b, 0);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 2);
    scn_buf_le64(&b, 0);
    scn_buf_le64(&b, 0);
    scn_buf_le32(&b, write ? 0x40000000u : 0x00120089u);
    scn_buf_le32(&b, 0x80);
    scn_buf_le32(&b, 7);
    scn_buf_le32(&b, write ? 5 : 1);
    scn_buf_le32(&b, 0x40);
    scn_buf_le16(&b, 64 + 56);
    scn_buf_le16(&b, (uint16_t)(2 * strlen(name)));
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_utf16(&b, name);
    scn_smb_send(s, m, 0, 5, 0, &b);
    scn_buf_clear(&b);
    scn_buf_le16(&b, 89);
    scn_buf_u8(&b, 0);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, write ? 2 : 1);
    scn_buf_zero(&b, 48);
    scn_buf_le32(&b, 0x20);
    scn_buf_le32(&b, 0);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    scn_smb_send(s, m, 1, 5, 0, &b);
    m->mid++;
    if (len) {
        scn_buf_clear(&b);
        scn_buf_le16(&b, 49);
        scn_buf_le16(&b, 64 + 48);
        scn_buf_le32(&b, (uint32_t)len);
        scn_buf_le64(&b, 0);
        scn_buf_zero(&b, 16 + 4 + 4 + 4 + 4);
        scn_buf_rand(&b, &s->rng, len);
        scn_smb_send(s, m, 0, 9, 0, &b);
        scn_buf_clear(&b);
        scn_buf_le16(&b, 17);
        scn_buf_zero(&b, 14);
        scn_smb_send(s, m, 1, 9, 0, &b);
        m->mid++;
    }
    scn_buf_free(&b);
}

/* Reads of len bytes from the server (a file copied to the client). */
void scn_smb_read(struct scn *s, struct scn_smb *m, size_t len)
{
    struct scn_buf b;
    scn_buf_init(&b);
    for (size_t off = 0; off < len; off += 65536) {
        size_t n = MIN((size_t)65536, len - off);
        scn_buf_clear(&b);
        scn_buf_le16(&b, 49);
        scn_buf_zero(&b, 47);
        scn_smb_send(s, m, 0, 8, 0, &b);
        scn_buf_clear(&b);
        scn_buf_le16(&b, 17);
        scn_buf_u8(&b, 0x50);
        scn_buf_u8(&b, 0);
        scn_buf_le32(&b, (uint32_t)n);
        scn_buf_zero(&b, 8);
        scn_buf_rand(&b, &s->rng, n);
        scn_smb_send(s, m, 1, 8, 0, &b);
        m->mid++;
    }
    scn_buf_free(&b);
}

/* A DCE/RPC bind of one interface (UUID as 16 wire bytes) and its ack. */
void scn_rpc_bind(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t port,
                  const uint8_t uuid[16], uint16_t ver_major, uint64_t t0)
{
    struct scn_tcp c;
    struct scn_buf b;
    scn_buf_init(&b);
    scn_tcp_open(s, &c, cli, srv, 0, port, false, t0, scn_rng_range(&s->rng, 150, 600));
    static const uint8_t ndr[16] = {0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
                                    0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60};
    scn_buf_mem(&b, "\x05\x00\x0b\x03\x10\x00\x00\x00", 8);
    scn_buf_le16(&b, 72);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 2);
    scn_buf_le16(&b, 4280);
    scn_buf_le16(&b, 4280);
    scn_buf_le32(&b, 0);
    scn_buf_u8(&b, 1);
    scn_buf_zero(&b, 3);
    scn_buf_le16(&b, 0);
    scn_buf_u8(&b, 1);
    scn_buf_u8(&b, 0);
    scn_buf_mem(&b, uuid, 16);
    scn_buf_le16(&b, ver_major);
    scn_buf_le16(&b, 0);
    scn_buf_mem(&b, ndr, 16);
    scn_buf_le32(&b, 2);
    scn_tcp_send(s, &c, 0, b.p, b.len);
    scn_buf_clear(&b);
    scn_buf_mem(&b, "\x05\x00\x0c\x03\x10\x00\x00\x00", 8);
    scn_buf_le16(&b, 68);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 2);
    scn_buf_le16(&b, 4280);
    scn_buf_le16(&b, 4280);
    scn_buf_le32(&b, 0x1234);
    scn_buf_le16(&b, 6);
    scn_buf_mem(&b, "49670\0", 6);
    scn_buf_u8(&b, 1); /* results, 4-aligned: 16+8+2+6 = 32 */
    scn_buf_zero(&b, 3);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_mem(&b, ndr, 16);
    scn_buf_le32(&b, 2);
    scn_tcp_send(s, &c, 1, b.p, b.len);
    scn_tcp_send_rand(s, &c, 0, 300);
    scn_tcp_send_rand(s, &c, 1, 200);
    scn_tcp_close(s, &c, 0);
    scn_buf_free(&b);
}
