// Artifact bytes of any size: small ones stay in artifacts.data, larger ones are split into
// ordered chunks that read back byte for byte and go with their artifact.
#include "TempProject.h"

#include "project/ArtifactBlob.h"
#include "project/Project.h"

#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

using namespace ts;

class TestArtifactBlob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void smallBytesStayInline();
    void largeBytesAreChunkedInOrder();
    void chunksGoWithTheirArtifact();

private:
    qint64 newArtifact();
    int chunkCount(qint64 artifactId);

    std::unique_ptr<test::TempFolder> m_dir;
    std::unique_ptr<Project> m_project;
};

void TestArtifactBlob::init()
{
    m_dir = std::make_unique<test::TempFolder>();
    auto project = Project::create(m_dir->path(QStringLiteral("blobs.tstudio")));
    QVERIFY2(project.ok(), qPrintable(project.error()));
    m_project = std::move(project.value());
}

qint64 TestArtifactBlob::newArtifact()
{
    QSqlQuery q(m_project->database());
    if (!q.exec(QStringLiteral("INSERT INTO artifacts(kind, created_at) VALUES ('test', '2026-11-26')")))
        return 0;
    return q.lastInsertId().toLongLong();
}

int TestArtifactBlob::chunkCount(qint64 artifactId)
{
    QSqlQuery q(m_project->database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM artifact_chunks WHERE artifact_id = ?"));
    q.addBindValue(artifactId);
    return q.exec() && q.next() ? q.value(0).toInt() : -1;
}

void TestArtifactBlob::smallBytesStayInline()
{
    QSqlDatabase db = m_project->database();
    const qint64 id = newArtifact();
    const QByteArray bytes("small checkpoint", 16);
    QVERIFY(ArtifactBlob::write(db, id, bytes, 16).ok());
    QCOMPARE(chunkCount(id), 0);
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT data FROM artifacts WHERE id = %1").arg(id)) && q.next());
    QCOMPARE(q.value(0).toByteArray(), bytes);
    QCOMPARE(ArtifactBlob::read(db, id, q.value(0)).value(), bytes);
}

void TestArtifactBlob::largeBytesAreChunkedInOrder()
{
    QSqlDatabase db = m_project->database();
    const qint64 id = newArtifact();
    QByteArray bytes(10 * 1000 + 7, Qt::Uninitialized);
    QRandomGenerator random(5);
    for (char &c : bytes)
        c = char(random.bounded(256));
    QVERIFY(ArtifactBlob::write(db, id, bytes, 1000).ok());
    QCOMPARE(chunkCount(id), 11); // ten full chunks and 7 bytes
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("SELECT data FROM artifacts WHERE id = %1").arg(id)) && q.next());
    QVERIFY(q.value(0).isNull());
    const auto read = ArtifactBlob::read(db, id, q.value(0));
    QVERIFY2(read.ok(), qPrintable(read.error()));
    QCOMPARE(read.value().size(), bytes.size());
    QVERIFY(read.value() == bytes);
}

void TestArtifactBlob::chunksGoWithTheirArtifact()
{
    QSqlDatabase db = m_project->database();
    const qint64 id = newArtifact();
    QVERIFY(ArtifactBlob::write(db, id, QByteArray(3000, 'x'), 1000).ok());
    QCOMPARE(chunkCount(id), 3);
    QSqlQuery q(db);
    QVERIFY(q.exec(QStringLiteral("DELETE FROM artifacts WHERE id = %1").arg(id)));
    QCOMPARE(chunkCount(id), 0);
}

QTEST_GUILESS_MAIN(TestArtifactBlob)
#include "tst_artifactblob.moc"
