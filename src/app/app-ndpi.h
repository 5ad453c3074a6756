/* app-ndpi.h - nDPI behind a small interface, for flows none of our own
 * parsers take (private to src/app). */
#ifndef MAMORI_APP_NDPI_H
#define MAMORI_APP_NDPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app_ndpi;
struct app_ndpi_flow;

/* NULL (after a warning) if nDPI cannot be set up: flows are then simply not
 * named by it. */
struct app_ndpi *app_ndpi_new(void);
void app_ndpi_free(struct app_ndpi *n);

struct app_ndpi_flow *app_ndpi_flow_new(struct app_ndpi *n);
void app_ndpi_flow_free(struct app_ndpi_flow *nf);
/* Bytes one flow state costs. */
size_t app_ndpi_flow_size(void);

/* One IP packet (from the IP header on). Returns true once nDPI has decided
 * (name filled in, lower case, "" if it could not tell); false while it
 * wants more packets. */
bool app_ndpi_packet(struct app_ndpi *n, struct app_ndpi_flow *nf, const uint8_t *l3,
                     uint32_t len, uint64_t ts_us, char *name, size_t namelen);

/* No more packets: nDPI's final answer, guessing from ports if it must. */
void app_ndpi_giveup(struct app_ndpi *n, struct app_ndpi_flow *nf, char *name, size_t namelen);

#endif
