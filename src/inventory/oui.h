/* oui.h - the maker of a network card from its MAC address, from the IEEE
 * registries Debian ships in ieee-data (/usr/share/ieee-data): MA-L
 * (oui.csv, 24-bit prefixes), MA-M (mam.csv, 28-bit), MA-S (oui36.csv,
 * 36-bit) and IAB (iab.csv, 36-bit). The longest matching prefix wins.
 *
 * Loaded once per process into sorted arrays (about 50 000 entries, 2-3 MiB)
 * and looked up by binary search.
 */
#ifndef MAMORI_OUI_H
#define MAMORI_OUI_H

#include <stdbool.h>
#include <stdint.h>

struct oui_db;

/* Loads the registries from dir (NULL: /usr/share/ieee-data, or the
 * MAMORI_IEEE_DATA environment variable when set). Missing files are
 * skipped; a database with no file loaded is empty but valid (every lookup
 * says NULL), and *loaded (may be NULL) tells how many entries were read.
 * Malformed lines are skipped. Never returns NULL. */
struct oui_db *oui_load(const char *dir, unsigned long *loaded);
void oui_free(struct oui_db *db);

/* The organisation name for mac, or NULL if unknown, or when the MAC is
 * locally administered (randomised) or a group address. Valid until
 * oui_free(). */
const char *oui_lookup(const struct oui_db *db, const uint8_t mac[6]);

/* Locally administered (U/L bit set): randomised "private" addresses of
 * phones and laptops, VMs, containers. */
static inline bool mac_is_local_admin(const uint8_t mac[6])
{
    return (mac[0] & 0x02) != 0;
}

/* Group (multicast/broadcast) address: never a device. */
static inline bool mac_is_group(const uint8_t mac[6])
{
    return (mac[0] & 0x01) != 0;
}

#endif
