/* notify.c - the notifier thread that `mamori watch` runs.
 *
 * It never blocks capture: it has its own SQLite connection (WAL: its
 * reads do not block the writer, its writes are a few short statements),
 * does its network work outside any transaction, and everything it still
 * has to do is in the notifications table, so a restart loses nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "notify/notify-int.h"
#include "util/config.h"
#include "util/util.h"

struct notifier {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    int reloaded;
    struct notify_config nc; /* guarded by mu; the thread works on a copy */
    char db_path[1024];
    struct notify_db *db;
};

static void copy_config(struct notify_config *dst, const struct mamori_config *cfg)
{
    *dst = cfg->notify;
    snprintf(dst->company, sizeof(dst->company), "%s", cfg->company);
}

static void *notifier_main(void *arg)
{
    struct notifier *n = arg;
    struct notify_config nc;
    char err[512];
    for (;;) {
        pthread_mutex_lock(&n->mu);
        nc = n->nc;
        int stopping = n->stop;
        pthread_mutex_unlock(&n->mu);
        /* A stop aborts a delivery in progress; the last round (with short
         * timeouts) is not aborted. */
        notify_set_cancel(stopping ? NULL : &n->stop);
        struct notify_round r;
        /* The last round at stop caps each delivery so stop returns soon. */
        if (notify_run_round(n->db, &nc, n->db_path, time(NULL), stopping ? 3 : 0, &r, err,
                             sizeof(err)) < 0)
            warning("notify: %s", err);
        if (stopping)
            break;
        pthread_mutex_lock(&n->mu);
        if (!n->stop) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += nc.poll_interval ? nc.poll_interval : 10;
            while (!n->stop && !n->reloaded) {
                if (pthread_cond_timedwait(&n->cv, &n->mu, &until) == ETIMEDOUT)
                    break;
            }
            n->reloaded = 0;
        }
        pthread_mutex_unlock(&n->mu);
    }
    return NULL;
}

struct notifier *notifier_start(const struct mamori_config *cfg, const char *db_path, char *err,
                                size_t errlen)
{
    if (notify_config_check(&cfg->notify, err, errlen) < 0)
        return NULL;
    if (strlen(db_path) >= sizeof(((struct notifier *)0)->db_path)) {
        snprintf(err, errlen, "database path too long");
        return NULL;
    }
    /* Not thread-safe: done here, on the caller's thread, before ours runs. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "cannot initialise libcurl");
        return NULL;
    }
    struct notify_db *db = ndb_open(db_path, err, errlen);
    if (!db)
        return NULL;
    struct notifier *n = xcalloc(1, sizeof(*n));
    n->db = db;
    snprintf(n->db_path, sizeof(n->db_path), "%s", db_path);
    copy_config(&n->nc, cfg);
    pthread_mutex_init(&n->mu, NULL);
    pthread_cond_init(&n->cv, NULL);
    int rc = pthread_create(&n->thread, NULL, notifier_main, n);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the notifier thread: %s", strerror(rc));
        pthread_mutex_destroy(&n->mu);
        pthread_cond_destroy(&n->cv);
        ndb_close(db);
        free(n);
        return NULL;
    }
    return n;
}

void notifier_reload(struct notifier *n, const struct mamori_config *cfg)
{
    if (!n)
        return;
    char err[256];
    if (notify_config_check(&cfg->notify, err, sizeof(err)) < 0) {
        warning("notify: new settings not taken: %s", err);
        return;
    }
    pthread_mutex_lock(&n->mu);
    copy_config(&n->nc, cfg);
    n->reloaded = 1;
    pthread_cond_signal(&n->cv);
    pthread_mutex_unlock(&n->mu);
}

void notifier_stop(struct notifier *n)
{
    if (!n)
        return;
    pthread_mutex_lock(&n->mu);
    __atomic_store_n(&n->stop, 1, __ATOMIC_RELAXED); /* read unlocked by deliveries */
    pthread_cond_signal(&n->cv);
    pthread_mutex_unlock(&n->mu);
    pthread_join(n->thread, NULL);
    ndb_close(n->db);
    pthread_mutex_destroy(&n->mu);
    pthread_cond_destroy(&n->cv);
    free(n);
    curl_global_cleanup(); /* pairs with notifier_start's init (counted) */
}
