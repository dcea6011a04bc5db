// After HeapTuning::keepTensorMemory(), blocks of tensor size (a few MiB) come from the heap, not
// from mappings of their own, and freeing them keeps the memory in the heap for the next step.
#include "HeapProbe.h"
#include "util/HeapTuning.h"

#include <QTest>

#include <cstdlib>
#include <cstring>

using namespace ts;

class TestHeapTuning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tensorSizedBlocksStayInTheHeap();
};

void TestHeapTuning::tensorSizedBlocksStayInTheHeap()
{
#if !defined(__GLIBC__) || defined(TS_ASAN)
    QSKIP("needs glibc's own allocator");
#else
    QVERIFY(HeapTuning::keepTensorMemory());
    constexpr size_t kBlock = 16u << 20; // an (8,16,128,128) fp32 attention-score tensor is 8 MiB
    const struct mallinfo2 before = mallinfo2();
    void *block = std::malloc(kBlock);
    QVERIFY(block);
    std::memset(block, 1, kBlock);
    const struct mallinfo2 allocated = mallinfo2();
    QCOMPARE(allocated.hblks, before.hblks); // not a mapping of its own
    std::free(block);
    const struct mallinfo2 freed = mallinfo2();
    QVERIFY2(freed.arena >= allocated.arena, "the heap shrank: the block went back to the kernel");
    QVERIFY(freed.fordblks >= kBlock);
#endif
}

QTEST_GUILESS_MAIN(TestHeapTuning)
#include "tst_heaptuning.moc"
