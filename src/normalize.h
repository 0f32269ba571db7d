/* normalize.h -- stage 2: fold the decoded original into the working text.
 *
 * Full-width ASCII digits, letters and the punctuation numbers need (％ ： ．
 * （ ） ，) become ASCII; ratio colons ∶ (U+2236) and ︰ become ':'; U+3000 and
 * NBSP become a space; CRLF, CR, U+2028/2029 become '\n'; zero-width
 * characters, BOMs and NULs are dropped.  A text_map keeps every working
 * offset tied to its original offset. */
#ifndef EDX_NORMALIZE_H
#define EDX_NORMALIZE_H

#include <stdbool.h>

#include "doc.h"

/* Build d->work and d->map from d->orig.  False when memory ran out. */
bool normalize_doc(doc *d);

#endif
