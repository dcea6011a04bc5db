#include "main/Plural.h"

#include <QLocale>

namespace ts::ui {

QString plural(qint64 n, const QString &one, const QString &many)
{
    return n == 1 ? one : many.arg(QLocale().toString(n));
}

} // namespace ts::ui
