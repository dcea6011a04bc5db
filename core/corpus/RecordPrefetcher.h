#pragma once

#include "corpus/SourceRecord.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ts {

class RecordSource;

/// A record read ahead, with what the importer derives from its text on the reading thread.
struct PreparedRecord
{
    SourceRecord record;
    bool blank = false;     ///< the text is whitespace only (no fingerprint then)
    qint64 fingerprint = 0; ///< TextFingerprint of the text
};

/// Reads a RecordSource on a second thread, in batches, so that parsing, UTF-8 checks and
/// fingerprints overlap the importer's SQLite writes. At most kQueuedBatches batches wait, so
/// memory stays bounded whatever the source's size. While it lives, nobody else may read the
/// source (its immutable column names excepted). next() is for one consumer thread.
class RecordPrefetcher
{
public:
    /// Batches read ahead at most; each holds batchRecords records.
    static constexpr size_t kQueuedBatches = 2;

    /// Records read together, with where the source stood after them.
    struct Batch
    {
        std::vector<PreparedRecord> records;
        qint64 bytesRead = 0; ///< the source's bytesRead() after the batch
        QString error;        ///< non-empty: the source failed after these records (a file-level message)
        bool last = false;    ///< no batch follows: the source ended or failed
    };

    /// Starts reading `source` in batches of `batchRecords`.
    RecordPrefetcher(RecordSource &source, int batchRecords);
    /// Stops reading (a batch being read is finished and dropped) and waits for the thread.
    ~RecordPrefetcher();
    RecordPrefetcher(const RecordPrefetcher &) = delete;
    RecordPrefetcher &operator=(const RecordPrefetcher &) = delete;

    /// The next batch, waiting for it. Not to be called after a batch with `last`.
    Batch next();

private:
    void run();
    Batch readBatch();

    RecordSource &m_source;
    const int m_batchRecords;
    std::mutex m_mutex;
    std::condition_variable m_changed; // a batch was queued or taken, or m_stop was set
    std::deque<Batch> m_queue;
    bool m_stop = false;
    std::thread m_thread; // last: starts once the members above exist
};

} // namespace ts
