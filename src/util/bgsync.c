/* bgsync.c - fsync in the background, one commit behind (see bgsync.h). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/bgsync.h"
#include "util/util.h"

struct bgsync {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a round asked for, a round done, or stop */
    int fd;
    bool own; /* fd closed by bgsync_free */
    bool want; /* a round was asked for and has not started */
    bool busy; /* a round is running */
    bool stop;
    int err; /* first errno of a failed sync not yet reported */
};

static void *bgsync_main(void *arg)
{
    struct bgsync *b = arg;
    /* Signals are the main thread's business (its handlers stop the run). */
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->want && !b->stop)
            pthread_cond_wait(&b->cv, &b->mu);
        if (!b->want)
            break;
        b->want = false;
        b->busy = true;
        pthread_mutex_unlock(&b->mu);
        int err = fdatasync(b->fd) < 0 && errno != EINVAL && errno != EROFS ? errno : 0;
        pthread_mutex_lock(&b->mu);
        if (err && !b->err)
            b->err = err;
        b->busy = false;
        pthread_cond_broadcast(&b->cv);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

struct bgsync *bgsync_new(int fd, bool own)
{
    struct bgsync *b = xcalloc(1, sizeof(*b));
    b->fd = fd;
    b->own = own;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    if (pthread_create(&b->thread, NULL, bgsync_main, b) != 0) {
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->cv);
        free(b);
        return NULL;
    }
    return b;
}

/* With the lock held: waits until no round is asked for or running, and
 * takes the error of the rounds since the last report. */
static int bgsync_wait_locked(struct bgsync *b)
{
    while (b->want || b->busy)
        pthread_cond_wait(&b->cv, &b->mu);
    int err = b->err;
    b->err = 0;
    return err;
}

int bgsync_kick(struct bgsync *b)
{
    pthread_mutex_lock(&b->mu);
    int err = bgsync_wait_locked(b);
    b->want = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    return err;
}

int bgsync_drain(struct bgsync *b)
{
    pthread_mutex_lock(&b->mu);
    int err = bgsync_wait_locked(b);
    pthread_mutex_unlock(&b->mu);
    return err;
}

void bgsync_free(struct bgsync *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    if (b->own)
        close(b->fd);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
}
