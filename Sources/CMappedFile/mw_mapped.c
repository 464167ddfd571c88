#define _GNU_SOURCE
#include "mw_mapped.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/// Mappings read at once (one per input read in parallel, with room to spare).
#define MW_SLOTS 256

/// One guarded mapping. `version` is odd while the slot changes (a sequence lock): the handler reads
/// `start` and `end` only as a pair that no registration or release changed in between.
typedef struct {
    _Atomic unsigned version;
    _Atomic int in_use;
    _Atomic uintptr_t start;
    _Atomic uintptr_t end;
    _Atomic int faulted;
} slot;

static slot slots[MW_SLOTS];
static struct sigaction previous;
static atomic_int installed;
static uintptr_t page_size;

/// The slot whose mapping holds `address`, or -1.
static int slot_holding(uintptr_t address) {
    for (int i = 0; i < MW_SLOTS; i++) {
        unsigned before = atomic_load(&slots[i].version);
        if (before & 1u) continue;
        uintptr_t start = atomic_load(&slots[i].start), end = atomic_load(&slots[i].end);
        if (atomic_load(&slots[i].version) != before) continue;
        if (start != 0 && address >= start && address < end) return i;
    }
    return -1;
}

/// Hands the signal to whatever handled SIGBUS before, as it asked to be called.
static void chain(int signal_number, siginfo_t *info, void *context) {
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction != NULL) { previous.sa_sigaction(signal_number, info, context); return; }
    } else if (previous.sa_handler == SIG_IGN) {
        // A SIGBUS someone sent is ignored, as before; a fault cannot be: it repeats, with the default action.
        if (info->si_code <= 0) return;
    } else if (previous.sa_handler != SIG_DFL) {
        previous.sa_handler(signal_number);
        return;
    }
    // The default action: a fault repeats when the handler returns, a signal sent by someone is raised again.
    signal(SIGBUS, SIG_DFL);
    if (info->si_code <= 0) raise(SIGBUS);
}

static void on_sigbus(int signal_number, siginfo_t *info, void *context) {
    int saved_errno = errno;
    // Only a fault (si_code > 0) has an address; a SIGBUS sent by kill or sigqueue carries the sender instead.
    if (info->si_code > 0) {
        uintptr_t address = (uintptr_t)info->si_addr;
        int i = slot_holding(address);
        if (i >= 0) {
            // A page of zeros in place of the page the file no longer has; the faulting read runs again.
            void *page = (void *)(address & ~(page_size - 1));
            if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
                atomic_store(&slots[i].faulted, 1);
                errno = saved_errno;
                return;
            }
        }
    }
    chain(signal_number, info, context);
    errno = saved_errno;
}

static void install(void) {
    int expected = 0;
    if (!atomic_compare_exchange_strong(&installed, &expected, 1)) {
        while (atomic_load(&installed) != 2) { /* another thread is installing */ }
        return;
    }
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous);
    atomic_store(&installed, 2);
}

int mw_mapping_guard(void *start, size_t length) {
    if (atomic_load(&installed) != 2) install();
    for (int i = 0; i < MW_SLOTS; i++) {
        int free_slot = 0;
        if (!atomic_compare_exchange_strong(&slots[i].in_use, &free_slot, 1)) continue;
        atomic_fetch_add(&slots[i].version, 1);  // odd: changing
        atomic_store(&slots[i].faulted, 0);
        atomic_store(&slots[i].start, (uintptr_t)start);
        atomic_store(&slots[i].end, (uintptr_t)start + length);
        atomic_fetch_add(&slots[i].version, 1);  // even: settled
        return i;
    }
    return -1;
}

int mw_mapping_release(int i) {
    if (i < 0 || i >= MW_SLOTS) return 0;
    int result = atomic_load(&slots[i].faulted);
    atomic_fetch_add(&slots[i].version, 1);
    atomic_store(&slots[i].start, 0);
    atomic_store(&slots[i].end, 0);
    atomic_fetch_add(&slots[i].version, 1);
    atomic_store(&slots[i].in_use, 0);
    return result;
}
