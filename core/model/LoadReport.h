#pragma once

#include <QStringList>

namespace ts {

/// What a successful load did besides copying matching tensors. Torch-free.
struct LoadReport
{
    QStringList initialised; // model tensors the checkpoint lacked, freshly initialised (a new head)
    QStringList ignored;     // checkpoint tensors of other heads or known buffers, left unused
};

} // namespace ts
