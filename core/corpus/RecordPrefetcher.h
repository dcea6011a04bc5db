#pragma once

#include "corpus/DocumentBatch.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ts {

class RecordSource;
class RecordTriage;

/// Reads a RecordSource on a second thread and passes each record through a RecordTriage into
/// DocumentBatches, so that parsing, UTF-8 checks, fingerprints and every per-record decision
/// overlap the importer's SQLite writes. At most kQueuedBatches batches wait, and written ones
/// come back for reuse (recycle()), so memory stays bounded whatever the source's size and
/// buffers are reused rather than freed on the other thread. While it lives, nobody else may
/// read the source (its immutable column names excepted) or touch the triage. next() and
/// recycle() are for one consumer thread.
class RecordPrefetcher
{
public:
    /// Batches read ahead at most.
    static constexpr size_t kQueuedBatches = 2;

    /// Starts reading `source` into batches of `batchRecords` records (good and bad) each.
    RecordPrefetcher(RecordSource &source, RecordTriage &triage, int batchRecords);
    /// Stops reading (a batch being read is finished and dropped) and waits for the thread.
    ~RecordPrefetcher();
    RecordPrefetcher(const RecordPrefetcher &) = delete;
    RecordPrefetcher &operator=(const RecordPrefetcher &) = delete;

    /// The next batch, waiting for it. Not to be called after a batch with `last`.
    DocumentBatch next();
    /// Gives a batch that next() returned back for the reading thread to fill again.
    void recycle(DocumentBatch &&batch);

private:
    void run();
    DocumentBatch emptyBatch();
    void readBatch(DocumentBatch &batch);

    RecordSource &m_source;
    RecordTriage &m_triage;
    const int m_batchRecords;
    std::mutex m_mutex;
    std::condition_variable m_changed; // a batch was queued or taken, or m_stop was set
    std::deque<DocumentBatch> m_queue;
    std::vector<DocumentBatch> m_spare; // recycled, to be filled again
    bool m_stop = false;
    std::thread m_thread; // last: starts once the members above exist
};

} // namespace ts
