#include "corpus/BackgroundWorker.h"

namespace ts::ui {

void BackgroundWorker::run()
{
    work();
    Q_EMIT done();
}

bool BackgroundWorker::cancelled() const
{
    return m_cancel && m_cancel->load();
}

} // namespace ts::ui
