/* mail-verdict.c - see mail.h. (Being written.) */
#include "mail/mail.h"

#include "util/util.h"
