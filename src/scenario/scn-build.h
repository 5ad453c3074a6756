/* scn-build.h - building blocks for synthetic captures.
 *
 * A scenario is a program that calls these blocks: make hosts, then emit
 * protocol exchanges between them (a DHCP join, a DNS lookup, a TCP session
 * carrying TLS or HTTP...). Every block takes the packet time it starts at
 * and either advances a caller's clock (uint64_t *t) or keeps its own (a TCP
 * session), so independent exchanges may overlap in time. Packets are kept
 * in memory and written sorted by time at the end (scn_write()); IPv4 ids
 * are assigned then, in time order, from a counter per host, as a real stack
 * would.
 *
 * Everything random comes from the scenario's own PRNG seeded from the
 * command line, never from rand() or the clock: the same name, seed and
 * options give byte-identical files.
 *
 * Adding a scenario for a new threat: write a generator function with these
 * blocks in scenario.c (or a new scn-<name>.c) and add one line to the table
 * in scenario.c. Blocks that a threat needs and others could reuse belong
 * here.
 *
 * All addresses given as uint32_t are IPv4 in host order (0xc0a80a01 is
 * 192.168.10.1); IPv6 addresses are 16 bytes in network order.
 */
#ifndef MAMORI_SCN_BUILD_H
#define MAMORI_SCN_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcap_writer;

#define SCN_IP4(a, b, c, d)                                                                        \
    (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define SCN_MS 1000ull
#define SCN_SEC 1000000ull
#define SCN_MIN (60ull * SCN_SEC)

/* 2026-11-02 09:00:00 JST (00:00:00 UTC): the Monday morning every scenario
 * starts on, as microseconds since the epoch. */
#define SCN_EPOCH_US 1793577600000000ull

/* ---- PRNG: xoshiro256** seeded through splitmix64 ---- */
struct scn_rng {
    uint64_t s[4];
};
void scn_rng_seed(struct scn_rng *r, uint64_t seed);
uint64_t scn_rng_next(struct scn_rng *r);
/* Uniform in [lo, hi] (inclusive); hi < lo returns lo. */
uint64_t scn_rng_range(struct scn_rng *r, uint64_t lo, uint64_t hi);
void scn_rng_bytes(struct scn_rng *r, uint8_t *p, size_t n);

/* ---- growable byte buffer for building payloads (big-endian helpers) ---- */
struct scn_buf {
    uint8_t *p;
    size_t len, cap;
};
void scn_buf_init(struct scn_buf *b);
void scn_buf_free(struct scn_buf *b);
void scn_buf_clear(struct scn_buf *b);
void scn_buf_u8(struct scn_buf *b, uint8_t v);
void scn_buf_u16(struct scn_buf *b, uint16_t v);
void scn_buf_u24(struct scn_buf *b, uint32_t v);
void scn_buf_u32(struct scn_buf *b, uint32_t v);
void scn_buf_u64(struct scn_buf *b, uint64_t v);
void scn_buf_le16(struct scn_buf *b, uint16_t v);
void scn_buf_le32(struct scn_buf *b, uint32_t v);
void scn_buf_le64(struct scn_buf *b, uint64_t v);
void scn_buf_mem(struct scn_buf *b, const void *p, size_t n);
void scn_buf_str(struct scn_buf *b, const char *s); /* without the NUL */
void scn_buf_fmt(struct scn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void scn_buf_zero(struct scn_buf *b, size_t n);
void scn_buf_rand(struct scn_buf *b, struct scn_rng *r, size_t n);
/* Length fields written later: reserve, then patch with the bytes since. */
size_t scn_buf_mark(struct scn_buf *b, unsigned width); /* width 1, 2 or 3 bytes */
void scn_buf_patch(struct scn_buf *b, size_t mark, unsigned width);
/* UTF-16LE of an ASCII string (SMB/NTLM names). */
void scn_buf_utf16(struct scn_buf *b, const char *s);

/* ---- hosts ---- */
enum scn_os {
    SCN_OS_WINDOWS = 0,
    SCN_OS_LINUX,
    SCN_OS_MACOS,
    SCN_OS_IOS,
    SCN_OS_ANDROID,
    SCN_OS_PRINTER, /* embedded stack: MSS only, no window scaling */
    SCN_OS_ROUTER,  /* embedded Linux */
};

struct scn_host {
    int index;     /* position in the scenario's host list */
    char name[32]; /* hostname (DHCP option 12, NetBIOS, mDNS) */
    enum scn_os os;
    uint8_t mac[6];     /* own MAC; for a remote host, the gateway's */
    uint32_t ip4;       /* 0 until configured (DHCP or static) */
    uint8_t ip6_ll[16]; /* fe80:: link-local (EUI-64 style), all zero if none */
    uint8_t ip6[16];    /* global IPv6, all zero if none */
    uint8_t ttl;        /* TTL / hop limit its packets have at the tap */
    uint16_t mss;
    bool remote;         /* beyond the gateway */
    uint16_t ip_id;      /* next IPv4 id, used when writing */
    uint16_t next_port;  /* next ephemeral port */
    uint32_t tcp_ts_off; /* offset of its TCP timestamp clock */
};

enum scn_tunnel {
    SCN_TUN_NONE = 0,
    SCN_TUN_GRE,   /* outer IPv4, GRE (RFC 2784) carrying the IP packet */
    SCN_TUN_VXLAN, /* outer IPv4/UDP 4789, VXLAN (RFC 7348) carrying the frame */
};

/* How every frame is wrapped while set (scn_set_encap()). */
struct scn_encap {
    unsigned vlan_count;   /* 0-2 */
    uint16_t vlan_tpid[2]; /* 0x8100 or 0x88a8, outer first */
    uint16_t vlan_id[2];
    enum scn_tunnel tunnel;
    uint8_t outer_smac[6], outer_dmac[6];
    uint32_t outer_src, outer_dst;
    uint32_t vni;
};

struct scn_pkt {
    uint64_t ts_us;
    uint64_t order; /* emission order: ties in time keep it */
    size_t off;     /* into the arena */
    uint32_t len;
    int32_t ipid_host; /* host whose id counter fills the IPv4 id, -1: keep */
    uint32_t ipid_off; /* offset of that IPv4 header in the frame */
    uint32_t wirelen;  /* length on the wire when more than len (a frame cut by a
                        * small snaplen, scn_emit_frame_cut()); 0: len */
};

struct scn {
    struct scn_rng rng;
    struct scn_host **hosts;
    size_t nhosts, hosts_cap;
    struct scn_pkt *pkts;
    size_t npkts, pkts_cap;
    uint8_t *arena;
    size_t arena_len, arena_cap;
    struct scn_encap encap;
    uint16_t outer_ip_id;
    bool no_pad; /* don't pad frames to 60 bytes */
};

void scn_init(struct scn *s, uint64_t seed);
void scn_release(struct scn *s);
/* Sorts the packets by time and writes them. Returns 0 or -1 (write error,
 * errno set by the writer). */
int scn_write(struct scn *s, struct pcap_writer *w);

/* A host on the LAN. ip4 may be 0 (joins with DHCP later). The MAC gets the
 * given 3-byte OUI and 3 random bytes; the IPv6 link-local address is derived
 * from it (modified EUI-64). */
struct scn_host *scn_host_new(struct scn *s, const char *name, enum scn_os os, const uint8_t oui[3],
                              uint32_t ip4);
/* A host beyond the gateway: its frames carry the gateway's MAC and a TTL
 * already decremented by some hops. */
struct scn_host *scn_host_remote(struct scn *s, const struct scn_host *gw, enum scn_os os,
                                 uint32_t ip4, const uint8_t *ip6);
uint16_t scn_host_port(struct scn *s, struct scn_host *h);
void scn_set_encap(struct scn *s, const struct scn_encap *e); /* NULL: plain Ethernet */

/* ---- raw emission ---- */
/* An Ethernet frame with the given type and payload (L3 onwards). When the
 * payload is an IPv4 header whose id comes from host `ipid_host`, pass its
 * index (else -1); the id and header checksum are filled in when written. */
void scn_emit_frame(struct scn *s, uint64_t ts, const uint8_t smac[6], const uint8_t dmac[6],
                    uint16_t ethertype, const uint8_t *l3, size_t len, int ipid_host);

/* Same for a frame of which only the first len bytes of l3 were captured
 * (a capture with a small snaplen): wire_len is the L3 length on the wire.
 * Big transfers (GB uploads) stay small files this way. */
void scn_emit_frame_cut(struct scn *s, uint64_t ts, const uint8_t smac[6], const uint8_t dmac[6],
                        uint16_t ethertype, const uint8_t *l3, size_t len, size_t wire_len,
                        int ipid_host);

/* Endpoint of an IP packet: where a host's packet goes to or comes from. */
struct scn_ep {
    uint8_t mac[6];
    bool v6;
    uint32_t ip4;
    uint8_t ip6[16];
    uint8_t ttl;
    int host; /* index for IPv4 ids, or -1 */
};
struct scn_ep scn_ep4(const struct scn_host *h);
struct scn_ep scn_ep6(const struct scn_host *h); /* global if set, else link-local */
struct scn_ep scn_ep6_ll(const struct scn_host *h);
struct scn_ep scn_ep_raw4(const uint8_t mac[6], uint32_t ip4, uint8_t ttl);
struct scn_ep scn_ep_raw6(const uint8_t mac[6], const uint8_t ip6[16], uint8_t ttl);
/* IPv4 / IPv6 multicast endpoints with the mapped MAC (RFC 1112, RFC 2464). */
struct scn_ep scn_ep_mcast4(uint32_t group, uint8_t ttl);
struct scn_ep scn_ep_mcast6(const uint8_t group[16], uint8_t ttl);
extern const uint8_t scn_mac_bcast[6];

/* One IP packet src -> dst with a transport payload whose checksum (TCP,
 * UDP, ICMP, ICMPv6) is computed here. The L2 source is src->mac, the
 * destination dst->mac. df sets IPv4 Don't Fragment. */
void scn_ip(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
            uint8_t proto, bool df, const uint8_t *l4, size_t len);
void scn_udp(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
             uint16_t sport, uint16_t dport, const uint8_t *data, size_t len);
/* One datagram (transport header + data, checksum computed here over the
 * whole of it) cut into fragments that fit mtu: IPv4 with MF/offset
 * (RFC 791), IPv6 with a Fragment header (RFC 8200 4.5). reverse sends the
 * last fragment first. Fragments are gap_us apart. */
void scn_ip_frag(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
                 uint8_t proto, const uint8_t *l4, size_t len, size_t mtu, bool reverse,
                 uint64_t gap_us);
/* Internet checksum helpers (RFC 1071), exported for the fragment builders. */
uint16_t scn_csum(const uint8_t *p, size_t len, uint32_t init);
uint16_t scn_l4_csum(const struct scn_ep *src, const struct scn_ep *dst, uint8_t proto,
                     const uint8_t *l4, size_t len);

/* ---- ARP ---- */
void scn_arp_request(struct scn *s, uint64_t ts, const struct scn_host *from, uint32_t target);
void scn_arp_reply(struct scn *s, uint64_t ts, const struct scn_host *from,
                   const struct scn_host *to);
/* RFC 5227 probe (sender IP 0.0.0.0) and announcement (gratuitous ARP). */
void scn_arp_probe(struct scn *s, uint64_t ts, const struct scn_host *h, uint32_t ip);
void scn_arp_announce(struct scn *s, uint64_t ts, const struct scn_host *h);

/* ---- TCP ---- */
/* Flag bits as on the wire. */
#define SCN_TH_FIN 0x01
#define SCN_TH_SYN 0x02
#define SCN_TH_RST 0x04
#define SCN_TH_PSH 0x08
#define SCN_TH_ACK 0x10

struct scn_tcp {
    struct scn_host *h[2]; /* 0 client, 1 server */
    struct scn_ep ep[2];
    uint16_t port[2];
    uint32_t seq[2];     /* next sequence number each side sends */
    uint16_t win[2];     /* window field after the handshake */
    uint8_t wscale[2];   /* shift applied to it (0 without scaling) */
    uint16_t mss;        /* payload bytes per full segment */
    bool ts;             /* timestamps negotiated */
    uint32_t ts_last[2]; /* last TSval each side sent (for TSecr) */
    bool pend[2];        /* side's data not yet acknowledged */
    int last_dir;        /* who sent last, -1 before data */
    uint64_t t;          /* session clock (time of the last packet) */
    uint64_t rtt_us;     /* tap <-> server and back */
    uint64_t lan_us;     /* tap <-> client and back */
    uint64_t gap_us[2];  /* spacing of back-to-back segments each way */
};

/* Handshake at t0 (SYN, SYN+ACK, ACK) with options as each side's OS
 * sends them. sport 0 picks an ephemeral port. v6 uses the IPv6 addresses. */
void scn_tcp_open(struct scn *s, struct scn_tcp *c, struct scn_host *cli, struct scn_host *srv,
                  uint16_t sport, uint16_t dport, bool v6, uint64_t t0, uint64_t rtt_us);
/* Data from side dir (0 client, 1 server), cut into MSS-sized segments; the
 * receiver ACKs every second segment. Starts one reply delay after the
 * other side's last packet. */
void scn_tcp_send(struct scn *s, struct scn_tcp *c, int dir, const void *data, size_t len);
/* Same with len random bytes (encrypted payloads). */
void scn_tcp_send_rand(struct scn *s, struct scn_tcp *c, int dir, size_t len);
void scn_tcp_wait(struct scn_tcp *c, uint64_t us);
/* FIN from side `first`, FIN+ACK back, final ACK. */
void scn_tcp_close(struct scn *s, struct scn_tcp *c, int first);
/* RST+ACK from side dir: the session is over. */
void scn_tcp_reset(struct scn *s, struct scn_tcp *c, int dir);
/* One segment of an open session from side dir with the given sequence and
 * ack numbers, without touching the session state (retransmissions,
 * out-of-order and overlapping segments). Timestamps follow ts. */
void scn_tcp_seg(struct scn *s, struct scn_tcp *c, int dir, uint64_t ts, uint8_t flags,
                 uint32_t seq, uint32_t ack, const void *data, size_t len);
/* SYN answered by RST+ACK (closed port). Returns the time of the RST. */
uint64_t scn_tcp_refused(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t dport,
                         uint64_t t0, uint64_t rtt_us);
/* One bare segment with the given flags (no session state): SYN floods,
 * scans. */
void scn_tcp_raw(struct scn *s, uint64_t ts, const struct scn_ep *src, const struct scn_ep *dst,
                 uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                 uint16_t win, const uint8_t *opts, size_t optlen);

/* ---- DNS (also the wire format for mDNS and LLMNR) ---- */
struct scn_dns_rr {
    const char *name; /* owner: NULL = the question name, "" = root */
    uint16_t type;
    uint16_t rclass; /* 0 means IN; mDNS cache-flush is 0x8001 */
    uint32_t ttl;
    uint32_t a;            /* A */
    const uint8_t *aaaa;   /* AAAA */
    const char *target;    /* CNAME, PTR, NS, MX, SRV target */
    uint16_t pref;         /* MX preference, SRV priority */
    uint16_t weight, port; /* SRV */
    const char *txt;       /* TXT: strings separated by '\n' */
    /* Added for the app-* scenarios (zero in older initializers): */
    const char *rname;    /* SOA: responsible mailbox (target is MNAME) */
    uint32_t soa[5];      /* SOA: serial, refresh, retry, expire, minimum */
    const uint8_t *raw;   /* other types (HTTPS...): RDATA as is */
    uint16_t rawlen;
};
#define SCN_DNS_A 1
#define SCN_DNS_NS 2
#define SCN_DNS_SOA 6
#define SCN_DNS_CNAME 5
#define SCN_DNS_PTR 12
#define SCN_DNS_MX 15
#define SCN_DNS_TXT 16
#define SCN_DNS_AAAA 28
#define SCN_DNS_SRV 33
#define SCN_DNS_OPT 41
#define SCN_DNS_HTTPS 65
#define SCN_DNS_ANY 255

/* Builds a DNS message into b (cleared first). qname NULL: no question. */
void scn_dns_build(struct scn_buf *b, uint16_t id, uint16_t flags, const char *qname,
                   uint16_t qtype, uint16_t qclass, const struct scn_dns_rr *an, size_t nan,
                   const struct scn_dns_rr *ar, size_t nar);
/* Same with an authority section (e.g. the SOA of an NXDOMAIN answer). */
void scn_dns_build_ns(struct scn_buf *b, uint16_t id, uint16_t flags, const char *qname,
                      uint16_t qtype, uint16_t qclass, const struct scn_dns_rr *an, size_t nan,
                      const struct scn_dns_rr *ns, size_t nns, const struct scn_dns_rr *ar,
                      size_t nar);
/* Query from cli to srv port 53 and the answer `rtt_us` later (rcode in the
 * low 4 bits of rcode, e.g. 3 NXDOMAIN). Advances *t past the answer. */
void scn_dns_lookup(struct scn *s, uint64_t *t, struct scn_host *cli, struct scn_host *srv,
                    const char *qname, uint16_t qtype, const struct scn_dns_rr *an, size_t nan,
                    unsigned rcode, uint64_t rtt_us);
/* mDNS response (announcement) to 224.0.0.251:5353. */
void scn_mdns_announce(struct scn *s, uint64_t ts, const struct scn_host *h,
                       const struct scn_dns_rr *an, size_t nan);
/* mDNS query (QM) for name/type. */
void scn_mdns_query(struct scn *s, uint64_t ts, const struct scn_host *h, const char *name,
                    uint16_t type);
/* LLMNR query to 224.0.0.252:5355 (Windows asks this when DNS has no answer). */
void scn_llmnr_query(struct scn *s, uint64_t ts, struct scn_host *h, const char *name);
/* NetBIOS name registration broadcast for h->name<00> (RFC 1002 4.2.2). */
void scn_nbns_register(struct scn *s, uint64_t ts, const struct scn_host *h, const char *workgroup);

/* ---- DHCP (RFC 2131/2132) ---- */
/* Discover, Offer, Request, Ack between h and the server, then an ARP probe
 * and announcement of the address; sets h->ip4. Client options (12 hostname,
 * 60 vendor class, 55 parameter list, 61 client id) follow h->os. */
void scn_dhcp_join(struct scn *s, uint64_t *t, struct scn_host *h, struct scn_host *server,
                   uint32_t addr, const char *domain);

/* ---- small UDP/ICMP exchanges ---- */
void scn_ntp_sync(struct scn *s, uint64_t *t, struct scn_host *cli, struct scn_host *srv,
                  uint64_t rtt_us);
/* count echo requests/replies, one a second. */
void scn_ping(struct scn *s, uint64_t *t, struct scn_host *from, struct scn_host *to,
              unsigned count, uint64_t rtt_us);
/* IPv6: router solicitation/advertisement and a neighbor solicitation/
 * advertisement between h and the router, all link-local. */
void scn_ipv6_nd(struct scn *s, uint64_t *t, struct scn_host *h, struct scn_host *router);

/* ---- TLS (RFC 8446 / 5246) over an open TCP session ---- */
enum scn_tls_client {
    SCN_TLS_CHROME = 0, /* Chrome/Edge: TLS 1.3 + 1.2, GREASE, h2 */
    SCN_TLS_SAFARI,     /* Apple */
    SCN_TLS_FIREFOX,
    SCN_TLS_OLD,    /* TLS 1.2 only, no 1.3 extensions (old software) */
    SCN_TLS_MAILER, /* mail client over STARTTLS: no ALPN */
};
/* ClientHello with SNI (NULL: none) and ALPN list ("h2,http/1.1", NULL: none),
 * the server's flight and the client's Finished. tls13 false gives a full
 * TLS 1.2 handshake with a certificate for cert_cn (issuer issuer_cn). */
void scn_tls_handshake(struct scn *s, struct scn_tcp *c, enum scn_tls_client prof, const char *sni,
                       const char *alpn, bool tls13, const char *cert_cn, const char *issuer_cn);
/* Just the ClientHello record (5-byte record header, then the handshake
 * message) of a profile, into rec (cleared first). */
void scn_tls_client_hello(struct scn *s, struct scn_buf *rec, enum scn_tls_client prof,
                          const char *sni, const char *alpn);
/* A DER certificate appended to b: subject O (NULL: none) and CN, issuer O
 * and CN; subject == issuer gives a self-signed one. SAN dNSName = cn. */
void scn_tls_cert(struct scn *s, struct scn_buf *b, const char *org, const char *cn,
                  const char *issuer_org, const char *issuer_cn);
/* len bytes of application data from side dir, in records of <= 16 KiB. */
void scn_tls_data(struct scn *s, struct scn_tcp *c, int dir, size_t len);
/* A whole HTTPS visit: connect, handshake, requests/responses, close. */
void scn_https_visit(struct scn *s, struct scn_host *cli, struct scn_host *srv, const char *sni,
                     enum scn_tls_client prof, bool tls13, uint64_t t0, uint64_t rtt_us,
                     unsigned exchanges, size_t up, size_t down);

/* ---- HTTP/1.1 over an open TCP session ---- */
/* req_body may be NULL; resp_len bytes of body (text) are generated. */
void scn_http_exchange(struct scn *s, struct scn_tcp *c, const char *method, const char *host,
                       const char *path, const char *ua, const char *req_ctype,
                       const char *req_body, unsigned status, const char *resp_ctype,
                       size_t resp_len);

/* ---- SMTP submission ---- */
/* EHLO, then STARTTLS + TLS when starttls, else AUTH LOGIN in clear with
 * user/pass, one message, QUIT. */
void scn_smtp_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t port,
                      uint64_t t0, uint64_t rtt_us, const char *ehlo, bool starttls,
                      const char *server_name, const char *user, const char *pass, const char *from,
                      const char *to);

/* ---- SSH: banners, KEXINIT, ECDH, NEWKEYS, then encrypted traffic ---- */
void scn_ssh_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                     uint64_t rtt_us, const char *cli_banner, const char *srv_banner,
                     unsigned keystrokes);

/* ---- SMB2: negotiate, NTLMSSP session setup, tree connect, a few reads ---- */
void scn_smb2_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                      const char *domain, const char *user, const char *share_path, unsigned reads);

/* SMB 3.1.1 negotiate (with negotiate contexts), NTLMSSP inside SPNEGO
 * (RFC 4178), tree connect to share_path ("\\\\SERVER\\share"), logoff. */
void scn_smb311_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                        const char *domain, const char *user, const char *share_path);
/* SMB1 NEGOTIATE from an old client answered with NT LM 0.12, then close. */
void scn_smb1_negotiate(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                        const char *domain);

/* A minimal SMB2 dialogue on 445 (scn-smb.c): negotiate, tree connect,
 * create (+ one write) and reads; enough for the parser's facts. */
struct scn_smb {
    struct scn_tcp c;
    uint64_t mid;
    uint32_t tree;
};
void scn_smb_open(struct scn *s, struct scn_smb *m, struct scn_host *cli, struct scn_host *srv,
                  uint64_t t0);
void scn_smb_tree(struct scn *s, struct scn_smb *m, const char *path, uint32_t tree);
/* CREATE name on the current tree (write: GENERIC_WRITE, OVERWRITE_IF), then
 * len bytes written in one WRITE (len 0: none). */
void scn_smb_create(struct scn *s, struct scn_smb *m, const char *name, bool write, size_t len);
/* Reads of len bytes from the server (a file copied to the client). */
void scn_smb_read(struct scn *s, struct scn_smb *m, size_t len);
/* A DCE/RPC bind of one interface (UUID as 16 wire bytes, major version) on
 * its own TCP connection to port, its ack, and a little traffic. */
void scn_rpc_bind(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t port,
                  const uint8_t uuid[16], uint16_t ver_major, uint64_t t0);

/* A port scanner's bare SYN from src to dst:dport at t, answered by
 * SYN+ACK and the scanner's RST (answer 1, open), by RST+ACK (2, closed) or
 * not at all (0, filtered). */
void scn_syn_probe(struct scn *s, struct scn_host *src, struct scn_host *dst, uint16_t sport,
                   uint16_t dport, uint64_t t, int answer);
/* The i-th port a scan tries: the first ntop (at most 30) of the ports nmap
 * tries first, then counting up from 1000 + i. */
uint16_t scn_nmap_port(unsigned i, unsigned ntop);

/* Vendor prefixes (OUIs) of the makers a Japanese small office buys from,
 * shared by the scenarios so that their devices look alike. */
extern const uint8_t scn_oui_yamaha[3];
extern const uint8_t scn_oui_dell[3];
extern const uint8_t scn_oui_hp[3];
extern const uint8_t scn_oui_brother[3];
extern const uint8_t scn_oui_synology[3];
extern const uint8_t scn_oui_nec[3];
extern const uint8_t scn_oui_fujitsu[3];
extern const uint8_t scn_oui_apple[3];

#endif
