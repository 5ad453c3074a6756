/* notify-store.c - schema step 5: the notifications sent. (Being written.) */
#include "notify/notify.h"

const char store_notify_schema_v5[] =
    "CREATE TABLE notifications ("
    " id INTEGER PRIMARY KEY,"
    " created_at TEXT NOT NULL,"
    " channel TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " alert_ids TEXT,"
    " subject TEXT,"
    " status TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " sent_at TEXT);";
