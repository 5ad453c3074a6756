/* behaviour.h - what the behaviour detectors (beacon, exfil.upload) share:
 * the name a connection's outside end was reached by, and the checks for
 * addresses they never judge. Implemented in det-beacon.c.
 *
 * A destination is best known by its name, not its address: a CDN or a
 * cloud service answers from many addresses, and one C2 server may move.
 * The name comes, in order of trust, from the flow itself (TLS SNI, HTTP
 * Host) or from a DNS answer the sensor saw for that address. The detection
 * stage keeps the one cache (capped, LRU; dest-names.c), learns from every
 * event once and names each ending flow once: detectors ask
 * detect_flow_dest() in their flow hook. The rest is in det-beacon.c.
 */
#ifndef MAMORI_BEHAVIOUR_H
#define MAMORI_BEHAVIOUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "decode/packet.h"
#include "flow/flow.h"

/* Longest name kept (longer ones keep their last part: the domain). */
#define DEST_NAME_LEN 96

/* How the name was learnt, and what the TLS handshake showed. */
#define DEST_NAME_SNI 0x01u
#define DEST_NAME_HTTP 0x02u
#define DEST_NAME_DNS 0x04u
#define DEST_SELF_SIGNED 0x08u /* the server's certificate signed itself */

struct dest_names;

struct dest_names *dest_names_new(uint32_t max_flows, uint32_t max_ips);
void dest_names_free(struct dest_names *n);
/* Learns from TLS (sni, self_signed), HTTP (hostname) and DNS answers. */
void dest_names_app_event(struct dest_names *n, const struct app_event *ev);
/* At a flow's end: the name of its responder (lower case, "" when unknown)
 * into out and DEST_* flags into *flags. Forgets the flow's own entry. */
void dest_names_flow(struct dest_names *n, const struct flow *f, char *out, size_t outlen,
                     unsigned *flags);
/* Drops what was not used since before_us. */
void dest_names_expire(struct dest_names *n, uint64_t before_us);

/* Whether a is loopback, multicast, broadcast or unspecified: never an
 * "outside destination". */
bool behaviour_addr_special(const struct ip_addr *a);

/* Whether name equals one of the suffixes or ends in "." + one of them
 * (list terminated by NULL). */
bool behaviour_name_in(const char *name, const char *const *suffixes);

#endif
