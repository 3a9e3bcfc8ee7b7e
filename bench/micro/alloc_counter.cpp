// alloc_counter.cpp - interposes the C allocator in the benchmark executable to count calls.
// glibc exports its allocator as __libc_*, so the wrappers need no dlsym (which allocates).
#include "alloc_counter.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace {
std::atomic<uint64_t> allocations{0};
void count() noexcept { allocations.fetch_add(1, std::memory_order_relaxed); }
} // namespace

#if defined(__SANITIZE_ADDRESS__)
#define LATTICE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LATTICE_ASAN 1
#endif
#endif

#if defined(LATTICE_ASAN)
// Under AddressSanitizer (the sanitizer build) ASan owns malloc and must not be interposed; its
// allocator calls a hook on every allocation, malloc and operator new alike.
#include <sanitizer/allocator_interface.h>
namespace {
void onAllocation(const volatile void *, size_t) { count(); }
void onFree(const volatile void *) {} // the install call wants both hooks
const int hooksInstalled = __sanitizer_install_malloc_and_free_hooks(onAllocation, onFree);
} // namespace
#elif defined(__GLIBC__)
// Defining these in the executable overrides libc's for the whole process (ELF interposition):
// libstdc++'s operator new and the runtime's own calls all land here.
extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void *__libc_memalign(size_t, size_t);

void *malloc(size_t size) {
  count();
  return __libc_malloc(size);
}
void *calloc(size_t n, size_t size) {
  count();
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t size) {
  count();
  return __libc_realloc(p, size);
}
void *memalign(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
void *aligned_alloc(size_t alignment, size_t size) {
  count();
  return __libc_memalign(alignment, size);
}
int posix_memalign(void **out, size_t alignment, size_t size) {
  if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
    return EINVAL;
  count();
  void *p = __libc_memalign(alignment, size);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}
}
#else
// Elsewhere, count what C++ allocates: replacing the global operator new is standard C++.
void *operator new(size_t size) {
  count();
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
void *operator new[](size_t size) { return operator new(size); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, size_t) noexcept { std::free(p); }
void operator delete[](void *p, size_t) noexcept { std::free(p); }
#endif

namespace lattice::bench {

uint64_t allocationCount() noexcept { return allocations.load(std::memory_order_relaxed); }

bool allocationCountingWorks() {
  const uint64_t before = allocationCount();
  // volatile: the compiler may otherwise elide a new/delete pair altogether.
  int *volatile p = new int(1);
  delete p;
  void *volatile q = std::malloc(16);
  std::free(q);
  return allocationCount() - before >= 2;
}

} // namespace lattice::bench
