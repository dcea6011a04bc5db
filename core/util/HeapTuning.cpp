#include "util/HeapTuning.h"

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

namespace ts {

bool HeapTuning::keepTensorMemory()
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    // Setting either threshold also turns off glibc's adaptive adjustment of both.
    return mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
#else
    return false;
#endif
}

} // namespace ts
