#include "corpus/RecordPrefetcher.h"

#include "corpus/RecordSource.h"
#include "corpus/RecordTriage.h"

namespace ts {

RecordPrefetcher::RecordPrefetcher(RecordSource &source, RecordTriage &triage, int batchRecords)
    : m_source(source), m_triage(triage), m_batchRecords(batchRecords), m_thread(&RecordPrefetcher::run, this)
{
}

RecordPrefetcher::~RecordPrefetcher()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

DocumentBatch RecordPrefetcher::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_queue.empty(); });
    DocumentBatch batch = std::move(m_queue.front());
    m_queue.pop_front();
    lock.unlock();
    m_changed.notify_all();
    return batch;
}

void RecordPrefetcher::recycle(DocumentBatch &&batch)
{
    const std::lock_guard lock(m_mutex);
    m_spare.push_back(std::move(batch));
}

void RecordPrefetcher::run()
{
    while (true) {
        DocumentBatch batch = emptyBatch();
        readBatch(batch);
        const bool last = batch.last;
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_stop || m_queue.size() < kQueuedBatches; });
        if (m_stop)
            return;
        m_queue.push_back(std::move(batch));
        lock.unlock();
        m_changed.notify_all();
        if (last)
            return;
    }
}

// A recycled batch, emptied here so that its memory is released, if ever, on this thread.
DocumentBatch RecordPrefetcher::emptyBatch()
{
    std::unique_lock lock(m_mutex);
    if (m_spare.empty())
        return {};
    DocumentBatch batch = std::move(m_spare.back());
    m_spare.pop_back();
    lock.unlock();
    batch.clear();
    return batch;
}

void RecordPrefetcher::readBatch(DocumentBatch &batch)
{
    SourceRecord record;
    for (int read = 0; read < m_batchRecords; ++read) {
        const Result<bool> next = m_source.next(record);
        if (!next || !next.value()) {
            batch.error = next ? QString() : next.error();
            batch.last = true;
            break;
        }
        const Status taken = m_triage.take(record, batch);
        batch.lastOrigin = record.origin;
        if (!taken) {
            batch.error = taken.error();
            batch.last = true;
            break;
        }
    }
    batch.progress = m_triage.progress();
    batch.progress.bytesRead = m_source.bytesRead();
    batch.progress.totalBytes = m_source.totalBytes();
}

} // namespace ts
