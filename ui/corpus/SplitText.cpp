#include "corpus/SplitText.h"

#include "corpus/ImportSplit.h"

#include <QCoreApplication>

namespace ts::ui {

QString splitText(const QString &split)
{
    return split == importSplitName(ImportSplit::Unlabeled) ? QCoreApplication::translate("SplitText", "unlabelled")
                                                            : split;
}

} // namespace ts::ui
