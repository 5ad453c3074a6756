/* limits.h - every cap on a loop, a nesting level or a table, with its reason.
 * Decoders never loop or recurse without one of these. */
#ifndef MAMORI_LIMITS_H
#define MAMORI_LIMITS_H

/* 802.1Q/802.1ad tags kept per packet: QinQ is 2, the deepest real capture we
 * know (zeek vlan-qinqinq) has 3; more than 4 is treated as malformed. */
#define MAX_VLAN_TAGS 4

/* IP layers per packet: the outer one plus tunnels (GRE, VXLAN, IP-in-IP,
 * Teredo-like IPv6-in-IPv4). gre-within-gre needs 3; more is an attack on the
 * decoder, not traffic. */
#define MAX_IP_LAYERS 4

/* IPv4 options are at most 40 bytes, so at most 40 one-byte options. */
#define MAX_IPV4_OPTIONS 40

/* IPv6 extension headers walked before giving up (RFC 8200 recommends each
 * appears at most once or twice; 8 covers every legitimate chain). */
#define MAX_IPV6_EXT_HEADERS 8

/* TCP options are at most 40 bytes. */
#define MAX_TCP_OPTIONS 40

/* Largest datagram reassembled from fragments (IPv4 total length cap). */
#define MAX_REASSEMBLED_LEN 65535

/* Fragments accepted per datagram: 65535/8 is the theoretical maximum; real
 * stacks send at most ~45 for a 64 KiB datagram at MTU 1500. Beyond this the
 * datagram is dropped as an overlap/teardrop-style attack. */
#define MAX_FRAGS_PER_DATAGRAM 128

/* Default flow table size (flows in memory at once). At ~256 bytes a flow
 * this is about 64 MiB; configurable with flow.max_flows. */
#define DEFAULT_MAX_FLOWS 262144

/* Default fragment tracker limits: datagrams in progress and total bytes held.
 * A fragment flood then costs at most this much memory. */
#define DEFAULT_DEFRAG_MAX_TRACKERS 4096
#define DEFAULT_DEFRAG_MEMCAP (16u * 1024u * 1024u)
/* RFC 791 suggests 15 s as the reassembly timer lower bound; Linux uses 30 s. */
#define DEFAULT_DEFRAG_TIMEOUT_S 30

/* Rows per SQLite transaction before a forced commit; a commit also happens
 * at least every STORE_COMMIT_INTERVAL_MS of wall-clock time, so a kill loses
 * at most that much. */
#define STORE_BATCH_ROWS 5000
#define STORE_COMMIT_INTERVAL_MS 1000

/* Out-of-order segments held per TCP stream direction. Real loss leaves a
 * few holes per window; more tiny segments than this is an attack on the
 * reassembler (each costs a header and a list walk), so the oldest hole is
 * skipped instead. */
#define MAX_STREAM_OOO_SEGS 64

/* Longest line accepted in a config file. */
#define MAX_CONFIG_LINE 1024

/* DNS (src/proto/proto-dns.c). A name is at most 255 bytes on the wire
 * (RFC 1035 3.1), so at most 127 one-byte labels plus the root. */
#define DNS_MAX_NAME_LABELS 128
/* Compression pointers followed in one name. Pointers must point strictly
 * backwards, so a loop is already impossible; this bounds pointer-to-pointer
 * chains, which real encoders never make longer than a few. */
#define DNS_MAX_POINTER_JUMPS 32
/* Questions walked: unicast DNS has one, mDNS queries batch a few dozen. */
#define DNS_MAX_QUESTIONS 64
/* Answers kept in struct dns_msg (each is ~3 KiB); the rest are walked and
 * counted but not stored. */
#define DNS_MAX_ANSWERS 32
/* Authority records kept in struct dns_msg (a referral lists a dozen NS,
 * a negative answer one SOA); the rest are walked and counted. */
#define DNS_MAX_AUTHORITIES 16
/* Labels skipped to find where a name dns_parse() rejected (too long, a
 * loop) ends on the wire, so the walk can go on: every label but the last
 * takes 2+ bytes, so a 64 KiB message holds at most 32768. */
#define DNS_MAX_SKIP_LABELS 32768
/* Resource records walked over all three sections. A 64 KiB message holds at
 * most ~6000 minimal records; nothing legitimate comes close to this. */
#define DNS_MAX_RECORDS 1024
/* Character-strings of one TXT record shown (the rest are cut). */
#define DNS_MAX_TXT_STRINGS 64
/* Messages one dns_tcp_framer_feed() call delivers: 64 KiB of 2-byte empty
 * frames is 32768; more means the stream is garbage, and the framer stops. */
#define DNS_TCP_MAX_MSGS_PER_FEED 65536

/* HTTP/1.x (src/proto/proto-http.c). Longest request, status, header or
 * chunk-size line kept; a longer one is cut and flagged. 8 KiB is what
 * common servers accept per line (Apache LimitRequestLine/FieldSize, nginx
 * large_client_header_buffers). */
#define HTTP_MAX_LINE 8192
/* A header block larger than this, or with more header lines, is flagged
 * (http.header_too_long / http.too_many_headers); parsing goes on, since
 * nothing but the fields below is kept. */
#define HTTP_MAX_HEADER_BLOCK 16384
#define HTTP_MAX_HEADERS 100
/* Bytes kept of the URL and of every other header value we log: enough for
 * real URLs, and with HTTP_MAX_PENDING it bounds a flow's memory (~600 KiB
 * worst case). */
#define HTTP_MAX_URL 4096
#define HTTP_MAX_FIELD 1024
/* Requests waiting for their response (RFC 9112 9.3 pipelining). Browsers do
 * not pipeline and tools send a handful; past this the oldest request is
 * reported without its response (http.pipeline_overflow). */
#define HTTP_MAX_PENDING 32
/* Largest chunk size believed (1 TiB): a real server never sends one chunk
 * that large, so a bigger one is garbage or an attack on length math. */
#define HTTP_MAX_CHUNK_SIZE (1ull << 40)
/* Largest Content-Length believed: keeps body arithmetic far from 2^64. */
#define HTTP_MAX_CONTENT_LENGTH (1ull << 62)

/* DHCP (src/proto/proto-dhcp.c, proto-dhcpv6.c). Options walked in one
 * DHCPv4 message, pads included, over the options field and the overloaded
 * file and sname fields: a 1500-byte frame holds at most ~1300 one-byte
 * pads, a real client sends 10-25 options. */
#define DHCP_MAX_OPTIONS 1536
/* Addresses kept from one list option (routers, DNS servers, IA_NA
 * addresses): a list of 64 is already absurd for a LAN. */
#define DHCP_MAX_LIST_ITEMS 32
/* DHCPv6 options walked per message level, and relay levels unwrapped
 * (RFC 8415 7.6: HOP_COUNT_LIMIT is 8). */
#define DHCPV6_MAX_OPTIONS 256
#define DHCPV6_MAX_RELAY_DEPTH 8

/* Mail and login protocols (src/proto/proto-{smtp,pop3,imap,ftp,telnet}.c).
 * Longest command or reply line kept: RFC 5321 4.5.3.1 allows 512-byte
 * commands and 1000-byte text lines; longer lines are cut and flagged. */
#define MAIL_MAX_LINE 2048
/* Commands sent ahead of their replies (RFC 2920 pipelining, FTP/IMAP
 * clients queueing): real clients pipeline a few dozen; more are not
 * matched to replies (and counted as an anomaly). */
#define MAIL_MAX_PENDING 64
/* Recipients kept per SMTP transaction (all are counted). */
#define SMTP_MAX_RCPT 100
/* RFC 5322 header block of a mail read for the "email" record: real ones
 * are 2-10 KiB (Received chains, DKIM, ARC); past this no further field is
 * read (only the blank line that ends the block is looked for) and
 * smtp.header_too_long is counted. The same cap applies to each MIME part's
 * header block. */
#define SMTP_MAX_HEADER_BLOCK 32768
/* Bytes kept of one unfolded header field: a To/Cc of ~20 addresses; a
 * longer field is cut there. */
#define SMTP_MAX_HEADER_FIELD 1024
/* Attachment names kept per message (all are counted) and MIME boundaries
 * followed at once (mixed > alternative > related nests 3 deep). */
#define SMTP_MAX_ATTACHMENTS 32
#define SMTP_MAX_MIME_BOUNDARIES 8
/* RFC 2046 5.1.1: a boundary is 1 to 70 characters. */
#define SMTP_MAX_BOUNDARY 70
/* Addresses kept from the To and Cc fields together. */
#define SMTP_MAX_HEADER_ADDRS 100
/* Bytes kept of a name, an address or a banner. */
#define MAIL_MAX_FIELD 256
/* Login events per session: enough to show a brute force in progress
 * without one flow flooding the store. */
#define LOGIN_MAX_EVENTS 32
/* FTP events (one per command) per session. */
#define FTP_MAX_EVENTS 4096
/* Reply lines kept per FTP reply (the rest are counted, not kept). */
#define FTP_MAX_REPLY_LINES 16
/* An IMAP literal larger than this is flagged (it is still skipped by
 * length): APPEND of a big mail is ~50 MB, a login literal a few bytes. */
#define IMAP_MAX_LITERAL (64u * 1024u * 1024u)

/* SSH (src/proto/proto-ssh.c). RFC 4253 4.2: the identification line is at
 * most 255 bytes including CR LF; the server may send other lines before it,
 * which no real server does more than a handful of times. */
#define SSH_MAX_BANNER 255
#define SSH_MAX_PRE_BANNER_LINES 32
/* A KEXINIT packet buffered for HASSH: OpenSSH's is ~1.5 KiB; RFC 4253 6.1
 * lets implementations drop packets over 35000 bytes, we stop at 16 KiB. */
#define SSH_MAX_KEXINIT 16384
/* Binary packets looked at (per direction) while waiting for KEXINIT. */
#define SSH_MAX_PACKETS_BEFORE_KEXINIT 4

/* RDP (src/proto/proto-rdp.c). The X.224 Connection Request/Confirm are
 * under 100 bytes with a cookie; a TPKT past this is not a negotiation. */
#define RDP_MAX_PDU 4096

/* SMB (src/proto/proto-smb.c). Messages buffered whole for parsing; bigger
 * ones (READ/WRITE data, up to 8 MiB in SMB3) keep only their first
 * SMB_MAX_HEAD bytes and are skipped by length. */
#define SMB_MAX_MSG 65536
#define SMB_MAX_HEAD 512
/* SMB2 compound requests chained by NextCommand in one message (Windows
 * chains at most a handful). */
#define SMB_MAX_COMPOUND 32
/* Dialects kept from a NEGOTIATE request (SMB1 clients offer ~12, SMB2 5). */
#define SMB_MAX_DIALECTS 32
/* Requests waiting for their response per flow; older ones are logged
 * without a response when this fills. */
#define SMB_MAX_PENDING 16
/* NTLMSSP: characters kept of a user/domain/host name (Windows limits them
 * to 256, NetBIOS names to 15) and AV_PAIRs walked in a CHALLENGE. */
#define NTLM_MAX_NAME 256
#define NTLM_MAX_AV_PAIRS 64

/* TLS (src/proto/proto-tls.c, proto-tls-cert.c). A record body is at most
 * 2^14 + 2048 bytes (RFC 5246 6.2.3, TLSCiphertext); longer means we lost
 * framing or the peer is not TLS. */
#define TLS_MAX_RECORD_LEN (16384u + 2048u)
/* Bytes of one handshake message kept while it is assembled. Hellos are a few
 * hundred bytes (post-quantum key shares ~1.5 KiB), certificate chains a few
 * KiB; a longer message is kept up to this and the rest skipped (the leaf
 * certificate comes first, so it is still read). */
#define TLS_MAX_HS_MSG 65536u
/* Extensions walked in one hello: browsers send ~20; 0-length extensions
 * could pack 16 K into 64 KiB, which only an attack on us would do. */
#define TLS_MAX_EXTENSIONS 256
/* ALPN protocol names and supported_versions entries kept per hello. */
#define TLS_MAX_ALPN 32
/* Cipher suites listed one by one in the store (the JA3/JA4 strings always
 * cover all of them). */
#define TLS_MAX_LISTED_CIPHERS 128
/* Certificates walked in one Certificate message: real chains are 2-4, the
 * longest sane ones ~10. */
#define TLS_MAX_CERTS 64
/* subjectAltName entries kept (CDN certificates carry up to ~100). */
#define TLS_MAX_SANS 128
/* Handshake messages one direction may send before we stop looking (a full
 * TLS 1.2 handshake is <= 8 per side; renegotiation is not followed). */
#define TLS_MAX_HS_MSGS 32

/* QUIC (src/proto/proto-quic.c). CRYPTO bytes of the client Initials kept
 * per flow to rebuild the ClientHello: a post-quantum key share makes it
 * ~1.8 KiB, the largest seen are a few KiB; as for TLS, 16 KiB is the cap. */
#define QUIC_CRYPTO_MAX 16384
/* Long-header packets walked in one datagram (RFC 9000 12.2 coalescing: at
 * most Initial, 0-RTT and Handshake, each maybe twice). */
#define QUIC_MAX_PACKETS_PER_DATAGRAM 16
/* Frames walked in one Initial packet (a run of PADDING counts once).
 * Chrome's chaos protection cuts the ClientHello into a few dozen CRYPTO
 * frames interleaved with PING and PADDING; 1200 bytes cannot hold more than
 * ~400 real frames. */
#define QUIC_MAX_FRAMES_PER_PACKET 512
/* ACK ranges walked in one ACK frame (an Initial ACK has one or two). */
#define QUIC_MAX_ACK_RANGES 64
/* Client datagrams that bring no new CRYPTO byte before the parser reports
 * the version alone and stops (nothing decodable, e.g. an unknown version). */
#define QUIC_MAX_IDLE_DATAGRAMS 8
/* Client datagrams looked at in all: a 16 KiB ClientHello needs ~14. */
#define QUIC_MAX_CLIENT_DATAGRAMS 32
/* TLS extensions listed in the quic event, and values kept per extension
 * (SNI names, ALPN protocols). */
#define QUIC_MAX_EXTENSIONS 64
#define QUIC_MAX_EXT_VALUES 16
/* Versions kept from a server's Version Negotiation packet. */
#define QUIC_MAX_VN_VERSIONS 16

#endif
