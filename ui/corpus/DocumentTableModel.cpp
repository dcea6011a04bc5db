#include "corpus/DocumentTableModel.h"

#include "corpus/SplitText.h"

#include "corpus/DocumentPager.h"

#include <QFileInfo>
#include <QSqlDatabase>

namespace ts::ui {

namespace {
// Characters of a document shown in its cell; the tooltip shows more.
constexpr int kCellChars = 300;
// Characters of a document shown in its tooltip.
constexpr int kTooltipChars = 2000;

QString oneLine(const QString &text, int chars)
{
    QString line = text.left(chars).simplified();
    if (text.size() > chars)
        line += QChar(0x2026);
    return line;
}

// "<file name>:<line>" of an origin "<path>:<line>": the folder is in the tooltip.
QString shortOrigin(const QString &origin)
{
    const qsizetype colon = origin.lastIndexOf(QLatin1Char(':'));
    return colon < 0 ? origin : QFileInfo(origin.left(colon)).fileName() + origin.mid(colon);
}
} // namespace

DocumentTableModel::DocumentTableModel(QObject *parent) : QAbstractTableModel(parent) {}

bool DocumentTableModel::setCorpus(const QSqlDatabase &db, qint64 corpusId, const QString &split, QString *error)
{
    m_connection = db.connectionName();
    m_corpusId = corpusId;
    m_split = split;
    m_starts = {0};
    return load(0, error);
}

bool DocumentTableModel::nextPage(QString *error)
{
    if (m_page.atEnd)
        return false;
    const qint64 after = m_page.nextAfter;
    if (!load(after, error))
        return false;
    m_starts.append(after);
    return true;
}

bool DocumentTableModel::previousPage(QString *error)
{
    if (m_starts.size() < 2)
        return false;
    if (!load(m_starts.at(m_starts.size() - 2), error))
        return false;
    m_starts.removeLast();
    return true;
}

bool DocumentTableModel::reload(QString *error)
{
    return load(m_starts.isEmpty() ? 0 : m_starts.last(), error);
}

bool DocumentTableModel::load(qint64 after, QString *error)
{
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    Result<DocumentPage> page = DocumentPager::page(db, m_corpusId, after, m_pageSize, m_split);
    if (!page) {
        if (error)
            *error = page.error();
        return false;
    }
    beginResetModel();
    m_page = std::move(page.value());
    endResetModel();
    return true;
}

int DocumentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_page.rows.size());
}

int DocumentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DocumentTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_page.rows.size())
        return {};
    const DocumentRow &row = m_page.rows.at(index.row());
    if (role == Qt::DisplayRole)
        return display(row, index.column());
    if (role == Qt::ToolTipRole && index.column() == TextColumn)
        return oneLine(row.text, kTooltipChars);
    if (role == Qt::ToolTipRole && index.column() == OriginColumn)
        return row.origin;
    if (role == Qt::TextAlignmentRole && index.column() == IdColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant DocumentTableModel::display(const DocumentRow &row, int column) const
{
    switch (column) {
    case IdColumn:
        return row.id;
    case SplitColumn:
        return splitText(row.split);
    case LabelColumn:
        return row.label.value_or(QString());
    case TextColumn:
        return oneLine(row.text, kCellChars);
    case OriginColumn:
        return shortOrigin(row.origin);
    default:
        return {};
    }
}

QVariant DocumentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Id");
    case SplitColumn:
        return tr("Split");
    case LabelColumn:
        return tr("Label");
    case TextColumn:
        return tr("Text");
    case OriginColumn:
        return tr("From");
    default:
        return {};
    }
}

} // namespace ts::ui
