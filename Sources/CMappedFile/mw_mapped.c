#define _GNU_SOURCE
#include "mw_mapped.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/// Mappings read at once (one per input read in parallel, with room to spare).
#define MW_SLOTS 256
/// A slot being filled in: claimed, not yet guarded.
#define MW_CLAIMED ((uintptr_t)1)

static _Atomic uintptr_t starts[MW_SLOTS];
static _Atomic uintptr_t ends[MW_SLOTS];
static _Atomic int faulted[MW_SLOTS];
static struct sigaction previous;
static atomic_int installed;
static uintptr_t page_size;

static void on_sigbus(int signal_number, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < MW_SLOTS; i++) {
        uintptr_t start = atomic_load(&starts[i]);
        if (start <= MW_CLAIMED || address < start || address >= atomic_load(&ends[i])) continue;
        // A page of zeros in place of the page the file no longer has; the faulting read runs again.
        void *page = (void *)(address & ~(page_size - 1));
        if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
            atomic_store(&faulted[i], 1);
            return;
        }
        break;
    }
    // Not a guarded mapping: to whoever handled SIGBUS before.
    if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction != NULL) {
        previous.sa_sigaction(signal_number, info, context);
        return;
    }
    if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(signal_number);
        return;
    }
    // The default action: a fault repeats when the handler returns, a signal sent by someone is raised again.
    signal(SIGBUS, SIG_DFL);
    if (info->si_code <= 0) raise(SIGBUS);
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
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous);
    atomic_store(&installed, 2);
}

int mw_mapping_guard(void *start, size_t length) {
    if (atomic_load(&installed) != 2) install();
    for (int i = 0; i < MW_SLOTS; i++) {
        uintptr_t free_slot = 0;
        if (!atomic_compare_exchange_strong(&starts[i], &free_slot, MW_CLAIMED)) continue;
        atomic_store(&faulted[i], 0);
        atomic_store(&ends[i], (uintptr_t)start + length);
        atomic_store(&starts[i], (uintptr_t)start);
        return i;
    }
    return -1;
}

int mw_mapping_release(int slot) {
    if (slot < 0 || slot >= MW_SLOTS) return 0;
    int result = atomic_load(&faulted[slot]);
    atomic_store(&ends[slot], 0);
    atomic_store(&starts[slot], 0);
    return result;
}
