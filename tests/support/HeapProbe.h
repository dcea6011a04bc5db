#pragma once
// What glibc's allocator holds, for tests of where tensor memory lives. mallinfo2 counts glibc's
// allocator only: under AddressSanitizer (TS_ASAN is then defined) it does not see tensors.

#include <QtGlobal>

#include <cstdlib> // defines __GLIBC__ where glibc is the C library

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TS_ASAN 1
#endif

namespace ts::test {

#if defined(__GLIBC__)
/// Bytes malloc has handed out and not taken back (heap and mmap'ed blocks).
inline qint64 heapBytesInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}
#endif

} // namespace ts::test
