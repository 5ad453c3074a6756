/* store-service.h - tables of the always-on service. */
#ifndef MAMORI_STORE_SERVICE_H
#define MAMORI_STORE_SERVICE_H

/* Schema migration step 4 (user_version 3 -> 4). Never edited once shipped. */
extern const char store_service_schema_v4[];

#endif
