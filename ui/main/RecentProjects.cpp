#include "main/RecentProjects.h"

#include <QFileInfo>
#include <QSettings>

namespace ts::ui {

namespace {
const QString kKey = QStringLiteral("recentProjects");
}

QStringList RecentProjects::load()
{
    return QSettings().value(kKey).toStringList();
}

void RecentProjects::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = load();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kMaxEntries)
        list.removeLast();
    QSettings().setValue(kKey, list);
}

void RecentProjects::remove(const QString &path)
{
    QStringList list = load();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(kKey, list);
}

void RecentProjects::clear()
{
    QSettings().remove(kKey);
}

} // namespace ts::ui
