#ifndef MW_MAPPED_H
#define MW_MAPPED_H

#include <stddef.h>

/// Reading a file through a memory mapping avoids copying it, but a file that shrinks while it is
/// mapped makes every read past its new end fault with SIGBUS, which would kill the process. These
/// functions guard registered mappings: a SIGBUS inside one maps a page of zeros over the faulting
/// page (the read goes on and sees zeros) and marks the mapping, so the reader can report that the
/// file changed under it. Faults elsewhere go to whatever handled SIGBUS before (the Swift runtime's
/// crash reporter, or the default action).

/// Registers `length` bytes of mapping at `start` (installing the SIGBUS handler on first use).
/// Returns a slot to pass to `mw_mapping_release`, or -1 when no slot is free (then the caller
/// should read the file another way).
int mw_mapping_guard(void *start, size_t length);

/// Stops guarding the mapping in `slot`; returns 1 if a read in it faulted (the file shrank and
/// zeros were read in its place), else 0. Call before unmapping.
int mw_mapping_release(int slot);

#endif
