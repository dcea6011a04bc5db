#pragma once

#include "corpus/DocumentPage.h"

#include <QAbstractTableModel>
#include <QList>

class QSqlDatabase;

namespace ts::ui {

/// One page of a corpus's documents for a table view, read with DocumentPager (keyset
/// pagination): each page costs the same at the first or the millionth document, and only one
/// page is ever held. Reads through a connection of the GUI thread.
class DocumentTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { IdColumn, SplitColumn, LabelColumn, TextColumn, OriginColumn, ColumnCount };

    /// Documents per page, by default.
    static constexpr int kDefaultPageSize = 1000;

    explicit DocumentTableModel(QObject *parent = nullptr);

    /// Shows the first page of corpus `corpusId` read through `db`, only split `split` when it is
    /// not empty. False with `error` set when the documents cannot be read.
    bool setCorpus(const QSqlDatabase &db, qint64 corpusId, const QString &split, QString *error = nullptr);
    /// Documents per page from the next page read on.
    void setPageSize(int rows) { m_pageSize = rows; }
    int pageSize() const { return m_pageSize; }

    /// Moves to the next page; false (staying put) at the end or with `error` set on failure.
    bool nextPage(QString *error = nullptr);
    /// Moves to the previous page; false on the first page or with `error` set on failure.
    bool previousPage(QString *error = nullptr);
    /// Re-reads the current page (after an import).
    bool reload(QString *error = nullptr);

    bool hasNextPage() const { return !m_page.atEnd; }
    bool hasPreviousPage() const { return m_starts.size() > 1; }
    /// 0-based index of the page shown.
    int pageIndex() const { return int(m_starts.size()) - 1; }
    /// The document shown in `row`.
    const DocumentRow &document(int row) const { return m_page.rows.at(row); }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool load(qint64 after, QString *error);
    QVariant display(const DocumentRow &row, int column) const;

    QString m_connection; // name of the GUI thread's connection, looked up per page
    qint64 m_corpusId = 0;
    QString m_split;
    int m_pageSize = kDefaultPageSize;
    QList<qint64> m_starts; // the key (`after`) of every page up to the one shown
    DocumentPage m_page;
};

} // namespace ts::ui
