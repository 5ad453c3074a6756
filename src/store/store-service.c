/* store-service.c - schema step 4: what the always-on service records about
 * itself (sensor gaps, small state). (Being written.) */
#include "store/store-service.h"

const char store_service_schema_v4[] =
    "CREATE TABLE sensor_gaps ("
    " id INTEGER PRIMARY KEY,"
    " start_ts INTEGER NOT NULL,"
    " end_ts INTEGER,"
    " reason TEXT,"
    " detail TEXT);"
    "CREATE TABLE state ("
    " key TEXT PRIMARY KEY,"
    " value TEXT);";
