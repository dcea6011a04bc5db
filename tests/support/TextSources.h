#pragma once
// Text sources over lists, for tests of what reads texts one at a time (tokenizer training,
// built-in models).

#include "text/TrainerParams.h"

#include <QStringList>

#include <memory>

namespace ts::test {

/// The texts `lines` one after another (copied into the source).
inline TextSource sourceOf(const QStringList &lines)
{
    auto next = std::make_shared<int>(0);
    return [lines, next](QString &text) {
        if (*next >= lines.size())
            return false;
        text = lines.at((*next)++);
        return true;
    };
}

} // namespace ts::test
