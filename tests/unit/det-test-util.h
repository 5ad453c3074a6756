/* det-test-util.h - the fixture the detector unit tests share.
 *
 * Used by test-det-{scan,auth,behaviour,dns,practice,intel,lateral,web,
 * device}.c, which otherwise each carried their own copy. A test drives one
 * detector through a real detection stage (detect_raise's de-duplication
 * included) and reads the alerts the stage hands to its callback:
 *
 *   struct fx *f = *state;                  // setup(): default config, on the heap
 *   fx_open(f, &det_scan);                  // the stage + the detector's own state
 *   f->ops->flow(f->st, &fl);
 *   assert_int_equal(count_cat(f, "scan.port", &a), 1);
 *   fx_close(f);                            // destroy, free, release the alerts
 *
 * A fixture on the stack starts with fx_init(). fx_open_cb() takes a known
 * device list and another callback (one that keeps first raises only, say);
 * with ops NULL the test drives the whole stage (detect_flow(),
 * detect_app_event()). What one file needs beyond this (a flow id counter,
 * a current flow, a PRNG, threat lists) stays in that file. Define CAP_MAX
 * before the #include for a capture of another size (default 64).
 * Everything here is static inline, so a test that uses only part of it
 * still builds warning-free. */
#ifndef MAMORI_DET_TEST_UTIL_H
#define MAMORI_DET_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/detect.h"
#include "detect/explain.h"
#include "util/util.h"

#ifndef CAP_MAX
#define CAP_MAX 64
#endif

/* Deep copies of what the stage's callback handed over. */
struct cap {
    struct alert a[CAP_MAX];
    unsigned n;      /* every callback: first raises and updates */
    unsigned nfirst; /* first raises only */
};

/* The stage's callback: every alert copied, full capture = test failure. */
static inline void on_alert(void *arg, const struct alert *a)
{
    struct cap *c = arg;
    assert_true(c->n < CAP_MAX);
    alert_copy(&c->a[c->n++], a);
    if (!a->update)
        c->nfirst++;
}

static inline void cap_clear(struct cap *c)
{
    for (unsigned i = 0; i < c->n; i++)
        alert_release(&c->a[i]);
    c->n = c->nfirst = 0;
}

/* A stage plus one detector's own state (the stage's copy of the detector
 * is not reachable; ours raises through the same stage). */
struct fx {
    struct detect_config cfg;
    struct detect *d;
    const struct detector_ops *ops; /* NULL: the test drives the stage itself */
    void *st;
    struct cap cap;
};

/* Zeroed, with the default configuration. */
static inline void fx_init(struct fx *f)
{
    memset(f, 0, sizeof(*f));
    detect_config_defaults(&f->cfg);
}

/* The stage from f->cfg as the test left it, known list kl (may be NULL),
 * alerts to cb with &f->cap as its argument; then ops' state if any. */
static inline void fx_open_cb(struct fx *f, const struct detector_ops *ops,
                              const struct known_list *kl, alert_fn cb)
{
    memset(&f->cap, 0, sizeof(f->cap));
    f->d = detect_new(&f->cfg, NULL, kl, cb, &f->cap);
    assert_non_null(f->d);
    f->ops = ops;
    f->st = ops ? ops->create(f->d) : NULL;
}

static inline void fx_open(struct fx *f, const struct detector_ops *ops)
{
    fx_open_cb(f, ops, NULL, on_alert);
}

/* The detector's state (not its finish hook), the stage, the copies. */
static inline void fx_close(struct fx *f)
{
    if (f->ops)
        f->ops->destroy(f->st);
    detect_free(f->d);
    cap_clear(&f->cap);
}

/* cmocka fixture: a struct fx on the heap, default configuration (a test
 * may change f->cfg before fx_open). */
static inline int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof(*f));
    detect_config_defaults(&f->cfg);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    free(*state);
    return 0;
}

/* A string fact, NULL when absent or not a string. */
static inline const char *fact_str(const struct alert *a, const char *key)
{
    json_t *v = json_object_get(a->facts, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An integer fact, -1 when absent or not an integer. */
static inline long long fact_int(const struct alert *a, const char *key)
{
    json_t *v = json_object_get(a->facts, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

/* First-raised alerts of a category (updates skipped); *first, when first
 * is not NULL, gets the earliest. */
static inline unsigned count_cat(const struct fx *f, const char *cat, const struct alert **first)
{
    unsigned n = 0;
    for (unsigned i = 0; i < f->cap.n; i++) {
        if (f->cap.a[i].update || strcmp(f->cap.a[i].category, cat) != 0)
            continue;
        if (!n && first)
            *first = &f->cap.a[i];
        n++;
    }
    return n;
}

/* Every part of a's text renders in both languages with no missing fact
 * (a placeholder without its fact shows as '?'). */
static inline void check_texts(const struct alert *a)
{
    char out[2048];
    for (int lang = LANG_EN; lang <= LANG_JA; lang++) {
        for (int part = EXPLAIN_TITLE; part <= EXPLAIN_ACTION; part++) {
            explain_render(a, (enum explain_part)part, (enum ui_lang)lang, out, sizeof(out));
            if (strchr(out, '?')) {
                print_error("%s: missing fact in \"%s\"\n", a->category, out);
                fail();
            }
        }
    }
}

/* Every fact of a is one of the n documented names. */
static inline void check_facts_documented(const struct alert *a, const char *const *documented,
                                          size_t n)
{
    const char *k;
    json_t *v;
    json_object_foreach(a->facts, k, v) {
        bool ok = false;
        for (size_t i = 0; i < n; i++)
            ok |= strcmp(documented[i], k) == 0;
        if (!ok) {
            print_error("%s: undocumented fact %s\n", a->category, k);
            fail();
        }
    }
}

#endif
