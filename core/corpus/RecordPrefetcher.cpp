#include "corpus/RecordPrefetcher.h"

#include "corpus/RecordSource.h"
#include "corpus/TextFingerprint.h"

namespace ts {

RecordPrefetcher::RecordPrefetcher(RecordSource &source, int batchRecords)
    : m_source(source), m_batchRecords(batchRecords), m_thread(&RecordPrefetcher::run, this)
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

RecordPrefetcher::Batch RecordPrefetcher::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_queue.empty(); });
    Batch batch = std::move(m_queue.front());
    m_queue.pop_front();
    lock.unlock();
    m_changed.notify_all();
    return batch;
}

void RecordPrefetcher::run()
{
    while (true) {
        Batch batch = readBatch();
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

RecordPrefetcher::Batch RecordPrefetcher::readBatch()
{
    Batch batch;
    batch.records.reserve(size_t(m_batchRecords));
    while (int(batch.records.size()) < m_batchRecords) {
        PreparedRecord prepared;
        const Result<bool> next = m_source.next(prepared.record);
        if (!next || !next.value()) {
            batch.error = next ? QString() : next.error();
            batch.last = true;
            break;
        }
        if (prepared.record.rejection.isEmpty()) {
            prepared.blank = TextFingerprint::isBlankUtf8(prepared.record.text);
            if (!prepared.blank)
                prepared.fingerprint = TextFingerprint::ofUtf8(prepared.record.text);
        }
        batch.records.push_back(std::move(prepared));
    }
    batch.bytesRead = m_source.bytesRead();
    return batch;
}

} // namespace ts
