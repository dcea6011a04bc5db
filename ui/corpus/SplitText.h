#pragma once

#include <QString>

namespace ts::ui {

/// A split's name as people read it: the stored "unlabeled" (core/project/RunVocabulary.h,
/// the documents table) shows as "unlabelled", the spelling of every other text in the workbench.
QString splitText(const QString &split);

} // namespace ts::ui
